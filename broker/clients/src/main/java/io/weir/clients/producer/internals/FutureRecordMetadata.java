package io.weir.clients.producer.internals;

import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one record: a thin view over its batch's {@link ProduceRequestResult} plus the record's
 * place in the batch, so completing a batch costs one latch release however many records it holds.
 * Immutable and thread-safe; it cannot be cancelled (a buffered record is sent regardless, as in Kafka).
 */
final class FutureRecordMetadata implements Future<RecordMetadata> {
    private final ProduceRequestResult result;
    private final TopicPartition partition;
    private final int relativeOffset;
    private final long timestamp;
    private final int keySize;
    private final int valueSize;

    FutureRecordMetadata(
            ProduceRequestResult result,
            TopicPartition partition,
            int relativeOffset,
            long timestamp,
            int keySize,
            int valueSize) {
        this.result = result;
        this.partition = partition;
        this.relativeOffset = relativeOffset;
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
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
        return result.completed();
    }

    @Override
    public RecordMetadata get() throws InterruptedException, ExecutionException {
        result.await();
        return valueOrError();
    }

    @Override
    public RecordMetadata get(long timeout, TimeUnit unit)
            throws InterruptedException, ExecutionException, TimeoutException {
        if (!result.await(timeout, unit)) {
            throw new TimeoutException(
                    "Record for " + partition + " not acknowledged within " + unit.toMillis(timeout) + " ms");
        }
        return valueOrError();
    }

    /** Only after the result is complete. */
    RecordMetadata valueOrError() throws ExecutionException {
        if (result.error() != null) {
            throw new ExecutionException(result.error());
        }
        return value();
    }

    RecordMetadata value() {
        long base = result.baseOffset();
        long offset = base < 0 ? -1L : base + relativeOffset;
        long ts = result.logAppendTime() >= 0 ? result.logAppendTime() : timestamp;
        return new RecordMetadata(partition, offset, ts, keySize, valueSize);
    }
}
