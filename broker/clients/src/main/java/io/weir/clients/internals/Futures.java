package io.weir.clients.internals;

import io.weir.common.errors.InterruptException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.errors.WeirException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Turns transport futures into the typed exceptions clients promise. Stateless. */
public final class Futures {
    private Futures() {}

    /** The cause behind CompletableFuture's wrappers. */
    public static Throwable unwrap(Throwable t) {
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }

    /** {@code t} as a WeirException, wrapping anything else so that callers see one family of errors. */
    public static WeirException asWeir(Throwable t, String context) {
        Throwable cause = unwrap(t);
        if (cause instanceof WeirException w) {
            return w;
        }
        if (cause instanceof java.util.concurrent.TimeoutException) {
            return new TimeoutException(context + " timed out", cause);
        }
        return new UnknownServerException(context + " failed: " + cause, cause);
    }

    /**
     * Waits for {@code future} at most {@code timeoutMs}.
     *
     * @throws TimeoutException naming {@code what} when the time runs out
     * @throws InterruptException if the calling thread is interrupted (its interrupt flag is kept)
     */
    public static <T> T await(CompletableFuture<T> future, long timeoutMs, String what) {
        try {
            return future.get(Math.max(0, timeoutMs), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException("Timed out after " + timeoutMs + " ms waiting for " + what, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while waiting for " + what, e);
        } catch (ExecutionException e) {
            throw asWeir(e, what);
        }
    }

    /** The value of a future known to be done, or its failure as a WeirException. */
    public static <T> T getNow(CompletableFuture<T> future) {
        try {
            return future.join();
        } catch (RuntimeException e) {
            throw asWeir(e, "request");
        }
    }
}
