package io.weir.clients.producer.internals;

import io.weir.common.errors.InterruptException;
import io.weir.common.errors.TimeoutException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The outcome of one transactional call (initTransactions, commit, abort, sendOffsetsToTransaction) that the
 * sender thread carries out over one or more coordinator requests while the caller waits.
 *
 * <p>Completed once, by the sender thread; the latch's release/acquire publishes {@code error}. {@code acked}
 * records that a caller has seen the outcome: a call that timed out leaves its result unacknowledged, and
 * the {@link TransactionManager} hands the same result to the caller's retry instead of starting over.
 */
final class TransactionalRequestResult {
    private final String operation;
    private final CountDownLatch latch = new CountDownLatch(1);
    private RuntimeException error;
    private volatile boolean acked;

    TransactionalRequestResult(String operation) {
        this.operation = operation;
    }

    String operation() {
        return operation;
    }

    void done() {
        latch.countDown();
    }

    void fail(RuntimeException e) {
        if (latch.getCount() > 0) {
            error = e;
            latch.countDown();
        }
    }

    boolean isCompleted() {
        return latch.getCount() == 0;
    }

    boolean isAcked() {
        return acked;
    }

    /**
     * Waits up to {@code timeoutMs} for the outcome.
     *
     * @throws TimeoutException if it has not come; the work goes on and calling the same method again waits for it
     * @throws RuntimeException the call's own failure
     */
    void await(long timeoutMs) {
        try {
            if (!latch.await(timeoutMs, TimeUnit.MILLISECONDS)) {
                throw new TimeoutException(operation + " did not complete within max.block.ms (" + timeoutMs
                        + " ms); it goes on in " + "the background: call " + operation + " again to wait for it");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + operation, e);
        }
        acked = true;
        if (error != null) {
            throw error;
        }
    }
}
