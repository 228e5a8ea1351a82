package io.weir.broker;

import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Waiting on the futures a client returns, for tests: a bounded wait, so a lost answer fails instead of hanging. */
public final class TestFutures {
    /** How long a test waits for one answer. */
    public static final long WAIT_SECONDS = 30;

    private TestFutures() {}

    /** The future's value; an AssertionError naming the failure otherwise. */
    public static <T> T await(CompletableFuture<T> future) {
        try {
            return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("Expected the future to succeed, but it failed: " + e, e);
        }
    }

    /** The exception of type {@code type} the future fails with. */
    public static <E extends Throwable> E assertFails(Class<E> type, CompletableFuture<?> future) {
        ExecutionException e = assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS));
        return assertInstanceOf(type, e.getCause());
    }
}
