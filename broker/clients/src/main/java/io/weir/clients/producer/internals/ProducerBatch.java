package io.weir.clients.producer.internals;

import io.weir.clients.producer.Callback;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;

/**
 * One partition's batch of records on its way to the broker, and the futures and callbacks of its records.
 *
 * <p>Life: <em>open</em> in its partition's deque, where producer threads append under the deque's lock;
 * <em>drained</em> by the sender thread (removed from the deque, so no thread can append any more, then
 * {@link #close()}d into bytes); <em>in flight</em>; then either <em>re-enqueued</em> at the head of the deque
 * for a retry or <em>completed</em> once. Everything after draining happens on the sender thread only.
 *
 * <p>Memory: the records are written straight into a buffer from the {@link BufferPool}, which the built batch
 * (without compression) is a view of. The buffer goes back to the pool only when the batch is complete <em>and</em>
 * no produce request carrying it awaits the broker's answer ({@code transportHolds == 0}): a request that timed out
 * here may still sit in the broker's append ring, and the broker reads the bytes until it answers. The batch keeps
 * no per-record object but the user's callbacks (see {@link ThunkArrays}), so a queued batch costs the collector
 * little.
 *
 * <p>An idempotent producer stamps the batch when it is first drained (producer id, epoch, base sequence),
 * normally before its bytes are built; a later epoch bump re-stamps the built bytes in place, or a copy of them while
 * a request carrying them awaits the broker's answer. The stamp then stays for every retry, so a resend is
 * recognisable to the broker as the same batch.
 */
final class ProducerBatch {
    final TopicPartition partition;
    final long createdNanos;
    /** From the {@link BufferPool}; the builder writes the records into it. */
    final ByteBuffer buffer;
    /**
     * Produce requests carrying this batch that the broker has not answered yet, timed out ones included: the
     * broker may still read the buffer until it answers. Sender thread only.
     */
    int transportHolds;
    /** Whether the buffer went back to the pool; sender thread only. */
    boolean bufferReturned;

    private final int sizeLimit;
    private final RecordBatchBuilder builder;
    private final ProduceRequestResult result;
    private final ThunkArrays thunkArrays;
    /** The records sent with a callback, in append order; null until the first. */
    private ThunkArrays.Slots thunks;

    private boolean full;
    private ByteBuffer built;
    private int recordCount;
    int attempts;
    long lastAttemptNanos;
    /** Set while a produce request carrying this batch awaits its answer; sender thread only. */
    boolean inFlight;
    /**
     * An attempt ended without a definite answer, so the broker may have written it; stays set until the broker's
     * sequence check answers a resend. Sender thread only.
     */
    boolean ambiguous;

    private boolean completed;
    private ProducerIdAndEpoch producerIdAndEpoch = ProducerIdAndEpoch.NONE;
    private int baseSequence = RecordBatch.NO_SEQUENCE;
    /**
     * The order in which batches of one partition were first given sequences, or -1: re-enqueued batches go
     * back in this order. Unlike the sequence itself it never wraps and survives a re-stamp.
     */
    private long sequenceOrder = -1;

    /**
     * @param buffer from the pool, at least {@code sizeLimit} bytes (or a lone record's batch size): the records
     *               fit in it, so the built batch (without compression) is a view of it
     */
    ProducerBatch(
            TopicPartition partition,
            CompressionType compression,
            int sizeLimit,
            ByteBuffer buffer,
            ThunkArrays thunkArrays,
            long nowNanos) {
        this.partition = partition;
        this.sizeLimit = sizeLimit;
        this.buffer = buffer;
        this.result = new ProduceRequestResult(partition);
        this.thunkArrays = thunkArrays;
        this.createdNanos = nowNanos;
        this.lastAttemptNanos = nowNanos;
        this.builder = new RecordBatchBuilder(
                buffer,
                compression,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
    }

    /**
     * Appends the record if it fits within the size limit (the first record always fits), under the deque's lock.
     *
     * @return the record's future, or null if the batch is full (it then stays full)
     */
    FutureRecordMetadata tryAppend(long timestamp, byte[] key, byte[] value, Header[] headers, Callback callback) {
        if (full || (recordCount > 0 && !builder.hasRoomFor(sizeLimit, key, value, headers))) {
            full = true;
            return null;
        }
        builder.append(timestamp, key, value, headers);
        int keySize = key == null ? -1 : key.length;
        int valueSize = value == null ? -1 : value.length;
        FutureRecordMetadata future = new FutureRecordMetadata(result, recordCount, timestamp, keySize, valueSize);
        if (callback != null) {
            if (thunks == null) {
                thunks = thunkArrays.take();
            }
            thunks.add(callback, recordCount, timestamp, keySize, valueSize);
        }
        recordCount++;
        if (builder.estimatedSizeInBytes() >= sizeLimit) {
            full = true;
        }
        return future;
    }

    boolean isFull() {
        return full;
    }

    int recordCount() {
        return recordCount;
    }

    /** The v2 batch bytes; built once, on the sender thread after draining, and reused for retries. */
    ByteBuffer bytes() {
        if (built == null) {
            full = true;
            built = builder.build();
        }
        return built.duplicate();
    }

    /**
     * Stamps (or re-stamps) the producer fields; sender thread, after the batch was drained.
     *
     * @param order the batch's place among its partition's sequenced batches; kept from the first stamp on
     */
    void setProducerState(ProducerIdAndEpoch id, int sequence, boolean transactional, long order) {
        if (built == null) {
            builder.setProducerState(id.producerId(), id.epoch(), sequence, transactional);
        } else {
            if (transportHolds > 0) {
                // A request the broker has not answered carries these bytes (one that timed out here may still sit
                // in an append ring, read by the append thread): re-stamp a copy, never the bytes it may be reading.
                // Waiting for the answer instead could wait forever for one that was lost. The copy is left to the
                // collector; the pooled buffer still goes back once every request carrying it is answered.
                built = copyOf(built);
            }
            RecordBatch.wrap(built).setProducerState(id.producerId(), id.epoch(), sequence, transactional);
        }
        producerIdAndEpoch = id;
        baseSequence = sequence;
        if (sequenceOrder < 0) {
            sequenceOrder = order;
        }
    }

    private static ByteBuffer copyOf(ByteBuffer bytes) {
        ByteBuffer copy = ByteBuffer.allocate(bytes.remaining());
        copy.put(bytes.duplicate()).flip();
        return copy;
    }

    boolean hasSequence() {
        return baseSequence != RecordBatch.NO_SEQUENCE;
    }

    int baseSequence() {
        return baseSequence;
    }

    int lastSequence() {
        return RecordBatch.incrementSequence(baseSequence, recordCount - 1);
    }

    ProducerIdAndEpoch producerIdAndEpoch() {
        return producerIdAndEpoch;
    }

    long sequenceOrder() {
        return sequenceOrder;
    }

    boolean hasReachedDeliveryTimeout(long nowNanos, long deliveryTimeoutNanos) {
        return nowNanos - createdNanos >= deliveryTimeoutNanos;
    }

    /**
     * Runs the callbacks in append order, then completes every record's future. Idempotent: a late answer to a
     * request that already timed out finds the batch completed and changes nothing.
     *
     * <p>The order is Kafka's, and what makes "count acknowledgements in the callback, call {@code flush()}, read
     * the count" work: {@code flush()} and {@code Future.get()} wait on the futures, so they return only after
     * every callback of the batch has run.
     *
     * @return false if the batch was already completed
     */
    boolean complete(long baseOffset, long logAppendTime, RuntimeException error) {
        if (completed) {
            return false;
        }
        completed = true;
        // Set before the callbacks, which read the metadata through their futures; released to waiters only by done().
        result.set(baseOffset, logAppendTime, error);
        try {
            runCallbacks(error);
        } finally {
            result.done();
        }
        return true;
    }

    private void runCallbacks(RuntimeException error) {
        if (thunks == null) {
            return;
        }
        ThunkArrays.Slots slots = thunks;
        thunks = null;
        for (int i = 0; i < slots.count; i++) {
            Callback callback = slots.callbacks[i];
            try {
                if (error == null) {
                    RecordMetadata metadata = FutureRecordMetadata.metadata(
                            result, slots.offsets[i], slots.timestamps[i], slots.keySizes[i], slots.valueSizes[i]);
                    callback.onCompletion(metadata, null);
                } else {
                    callback.onCompletion(null, error);
                }
            } catch (RuntimeException e) {
                // A user callback must not stop the sender thread or the other records' callbacks.
                Thread t = Thread.currentThread();
                t.getUncaughtExceptionHandler().uncaughtException(t, e);
            }
        }
        thunkArrays.give(slots);
    }

    boolean isCompleted() {
        return completed;
    }

    /** The futures' shared result, for flush() to wait on. */
    ProduceRequestResult result() {
        return result;
    }

    @Override
    public String toString() {
        return "ProducerBatch(" + partition + ", " + recordCount + " records, attempt " + attempts
                + (hasSequence() ? ", " + producerIdAndEpoch + " sequence " + baseSequence : "") + ")";
    }
}
