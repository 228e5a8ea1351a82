package io.weir.clients.producer.internals;

import io.weir.clients.producer.RecordMetadata;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The future of one record: a thin view over its batch's {@link ProduceRequestResult} plus the record's
 * place in the batch, so completing a batch costs one latch release however many records it holds.
 * Thread-safe; it cannot be cancelled (a buffered record is sent regardless, as in Kafka).
 *
 * <p>It is the one object {@code send} allocates per record, so it is kept to 40 bytes (12 of header, 28 of
 * fields with compressed oops): the partition lives in the shared result, and the accumulator's answer about
 * the append (a new batch, a full one) rides in {@code appendFlags}, in what would otherwise be padding, instead
 * of a result object per record. Those flags are written and read only by the sending thread, right after the
 * append; everything else is final.
 */
final class FutureRecordMetadata implements Future<RecordMetadata> {
    static final byte NEW_BATCH = 1;
    static final byte BATCH_FULL = 2;

    private final ProduceRequestResult result;
    private final int relativeOffset;
    private final long timestamp;
    private final int keySize;
    private final int valueSize;
    /** {@link #NEW_BATCH} and {@link #BATCH_FULL}, as the append left them; the sending thread only. */
    private byte appendFlags;

    FutureRecordMetadata(ProduceRequestResult result, int relativeOffset, long timestamp, int keySize, int valueSize) {
        this.result = result;
        this.relativeOffset = relativeOffset;
        this.timestamp = timestamp;
        this.keySize = keySize;
        this.valueSize = valueSize;
    }

    /** The accumulator's answer about the append that made this future; see {@link RecordAccumulator#append}. */
    FutureRecordMetadata withAppendFlags(boolean newBatch, boolean batchFull) {
        appendFlags = (byte) ((newBatch ? NEW_BATCH : 0) | (batchFull ? BATCH_FULL : 0));
        return this;
    }

    /** The append opened a new batch (the sticky partitioner moves on). */
    boolean newBatchCreated() {
        return (appendFlags & NEW_BATCH) != 0;
    }

    /**
     * This append filled its batch: the sender should look now. Unlike Kafka's {@code RecordAppendResult.batchIsFull}
     * it is not also true while another batch is queued behind (then on every append of a backed-up partition, each
     * waking the sender to find what it already knew: the profile of a transactional run put a tenth of the sending
     * thread's time in that wake-up, and the sender's empty passes on the other core); opening the batch behind
     * ({@link #newBatchCreated()}) was the signal. A sender that could not send then is woken by what unblocks it.
     */
    boolean batchIsFull() {
        return (appendFlags & BATCH_FULL) != 0;
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
                    "Record for " + result.partition() + " not acknowledged within " + unit.toMillis(timeout) + " ms");
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
        return metadata(result, relativeOffset, timestamp, keySize, valueSize);
    }

    /** Where record {@code relativeOffset} of a completed batch landed. */
    static RecordMetadata metadata(
            ProduceRequestResult result, int relativeOffset, long timestamp, int keySize, int valueSize) {
        long base = result.baseOffset();
        long offset = base < 0 ? -1L : base + relativeOffset;
        long ts = result.logAppendTime() >= 0 ? result.logAppendTime() : timestamp;
        return new RecordMetadata(result.partition(), offset, ts, keySize, valueSize);
    }
}
