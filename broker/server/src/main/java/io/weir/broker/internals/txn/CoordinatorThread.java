package io.weir.broker.internals.txn;

import io.weir.common.errors.CoordinatorNotAvailableException;
import io.weir.transactions.coordinator.WriteCallback;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.Supplier;

/**
 * The one thread the transaction coordinator is confined to: requests, the timer and every completion of a
 * transaction-log write or a marker run there, one at a time, so the coordinator needs no lock. Append
 * threads hand completions over with {@link #callBack} and never wait for it, which is what keeps an append
 * thread from ever blocking on the coordinator (the deadlock the group coordinator taught us).
 *
 * <p>Thread-safe. Once the broker shuts the executor down, work handed over is dropped: the coordinator was
 * closed first and has answered every waiting call.
 */
final class CoordinatorThread {
    private final ScheduledExecutorService executor;

    CoordinatorThread(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Runs {@code task} on the coordinator's thread; false if the broker is shutting down and it was dropped. */
    boolean run(Runnable task) {
        try {
            executor.execute(task);
            return true;
        } catch (RejectedExecutionException closing) {
            return false;
        }
    }

    /** Calls {@code done} with {@code failure} on the coordinator's thread. */
    void callBack(WriteCallback done, Throwable failure) {
        run(() -> done.onComplete(failure));
    }

    /**
     * Runs {@code body} on the coordinator's thread; the future it returns completes the answer. A broker
     * that is shutting down answers with a failed future.
     */
    <T> CompletableFuture<T> call(Supplier<CompletableFuture<T>> body) {
        CompletableFuture<T> answer = new CompletableFuture<>();
        boolean queued = run(() -> {
            try {
                body.get().whenComplete((value, failure) -> {
                    if (failure != null) {
                        answer.completeExceptionally(failure);
                    } else {
                        answer.complete(value);
                    }
                });
            } catch (RuntimeException e) {
                answer.completeExceptionally(e);
            }
        });
        if (!queued) {
            answer.completeExceptionally(new CoordinatorNotAvailableException(
                    "The broker is shutting down; the transaction coordinator takes no more requests"));
        }
        return answer;
    }
}
