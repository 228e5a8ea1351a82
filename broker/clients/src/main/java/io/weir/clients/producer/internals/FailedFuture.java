package io.weir.clients.producer.internals;

import io.weir.clients.producer.RecordMetadata;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/** The future of a record refused before it was buffered: already failed with {@code error}. Immutable. */
final class FailedFuture implements Future<RecordMetadata> {
    private final RuntimeException error;

    FailedFuture(RuntimeException error) {
        this.error = error;
    }

    @Override
    public boolean cancel(boolean mayInterruptIfRunning) {
        return false;
    }

    @Override
    public boolean isCancelled() {
        return false;
    }

    @Override
    public boolean isDone() {
        return true;
    }

    @Override
    public RecordMetadata get() throws ExecutionException {
        throw new ExecutionException(error);
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit) throws ExecutionException {
        throw new ExecutionException(error);
    }
}
