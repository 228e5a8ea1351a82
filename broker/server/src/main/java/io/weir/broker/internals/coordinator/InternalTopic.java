package io.weir.broker.internals.coordinator;

import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.FetchDataInfo;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendCallback;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.WeirException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import io.weir.transactions.TransactionResult;
import java.nio.ByteBuffer;
import java.util.Map;
import java.util.function.ToIntFunction;

/**
 * A coordinator's compacted internal topic ({@code __consumer_offsets}, {@code __transaction_state}): where its
 * records go and how they come back. The topic is created on first use with the configured partition count and
 * segment size and {@code cleanup.policy=compact}; afterwards its existing partition count decides, so a changed
 * setting never moves a key. A key's partition is {@code keyHash(key) % partitions}, with the owner's
 * {@code keyHash}: the two coordinators make a hash non-negative in different ways, and the partition of
 * every key already stored depends on it.
 *
 * <p>Appends go through the append rings with origin COORDINATOR, so a coordinator's record is as durable as any
 * acks=all record under the broker's flush policy. {@link #load} replays the topic when the broker opens. What
 * the records mean (their key and value layouts) is the owner's business: this class hands it the raw
 * {@link Record}s.
 *
 * <p>Thread-safe.
 */
public final class InternalTopic {

    /**
     * What {@link #load} hands each record and marker to, in log order per partition (all records of one key are
     * in one partition, so that is the order that matters).
     */
    public interface Replay {
        /**
         * A data record at {@code record.offset()}; {@code producerId} is the producer of its transaction, or
         * {@link RecordBatch#NO_PRODUCER_ID} when the record is outside any transaction.
         */
        void record(TopicPartition partition, Record record, long producerId);

        /** The COMMIT or ABORT marker of {@code producerId}'s transaction; ignored unless the owner writes in transactions. */
        default void marker(TopicPartition partition, long producerId, TransactionResult result) {}
    }

    /** How much of a partition {@link #load} reads at a time. */
    private static final int LOAD_READ_BYTES = 1 << 20;

    private final LogManager logManager;
    private final AppendRings rings;
    private final String name;
    private final int configuredPartitions;
    private final Map<String, String> topicConfig;
    private final long appendTimeoutMs;
    private final ToIntFunction<String> keyHash;

    /**
     * @param configuredPartitions the partition count to create the topic with
     * @param segmentBytes         the topic's {@code segment.bytes}
     * @param appendTimeoutMs      how long an append may wait for room on the write path
     * @param keyHash              a key's hash, made non-negative
     */
    public InternalTopic(
            LogManager logManager,
            AppendRings rings,
            String name,
            int configuredPartitions,
            int segmentBytes,
            long appendTimeoutMs,
            ToIntFunction<String> keyHash) {
        this.logManager = logManager;
        this.rings = rings;
        this.name = name;
        this.configuredPartitions = configuredPartitions;
        this.topicConfig = Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes));
        this.appendTimeoutMs = appendTimeoutMs;
        this.keyHash = keyHash;
    }

    public String name() {
        return name;
    }

    /** The partition that holds {@code key}'s records. */
    public TopicPartition partitionFor(String key) {
        return new TopicPartition(name, keyHash.applyAsInt(key) % partitionCount());
    }

    private int partitionCount() {
        return logManager.topicExists(name) ? logManager.topicMetadata(name).partitions() : configuredPartitions;
    }

    private void ensureTopic() {
        if (!logManager.topicExists(name)) {
            synchronized (this) { // one creator; LogManager refuses a second creation anyway
                if (!logManager.topicExists(name)) {
                    logManager.createInternalTopic(name, configuredPartitions, topicConfig);
                }
            }
        }
    }

    /**
     * Appends {@code batch} to the partition of {@code key}, creating the topic first if need be. {@code done}
     * runs once: on the append thread when the batch is appended or refused, or at once on this thread when the
     * topic or its partition cannot be reached (the broker's typed error, e.g. an offline log directory).
     */
    public void append(String key, ByteBuffer batch, AppendCallback done) {
        try {
            ensureTopic();
            Log log = logManager.log(partitionFor(key));
            rings.append(log, batch, AppendOrigin.COORDINATOR, done, appendTimeoutMs);
        } catch (WeirException e) {
            done.onComplete(null, e);
        }
    }

    /**
     * Reads every partition of the topic from its start to its high watermark and hands each record and
     * transaction marker to {@code replay}, partition by partition, each in log order. Called once while the
     * broker opens; a topic never created has nothing to replay.
     *
     * @throws io.weir.common.errors.CorruptRecordException when a batch fails its checks (or, from {@code replay},
     *                                                      naming the offset of a record that does not decode)
     */
    public void load(Replay replay) {
        if (!logManager.topicExists(name)) {
            return;
        }
        int partitions = logManager.topicMetadata(name).partitions();
        for (int p = 0; p < partitions; p++) {
            Log log = logManager.log(new TopicPartition(name, p));
            long offset = log.logStartOffset();
            while (offset < log.highWatermark()) {
                FetchDataInfo data = log.read(offset, LOAD_READ_BYTES, true);
                if (!data.batches().hasRemaining()) {
                    break;
                }
                for (RecordBatch batch : RecordBatches.iterable(data.batches())) {
                    try {
                        batch.ensureValid();
                    } catch (CorruptRecordException e) {
                        // The broker read this batch itself: name the segment file and byte position.
                        throw log.corruptBatch(batch.baseOffset(), e);
                    }
                    if (batch.isControl()) {
                        replay.marker(
                                log.topicPartition(),
                                batch.producerId(),
                                batch.controlType() == ControlRecordType.COMMIT
                                        ? TransactionResult.COMMIT
                                        : TransactionResult.ABORT);
                    } else {
                        long producerId = batch.isTransactional() ? batch.producerId() : RecordBatch.NO_PRODUCER_ID;
                        for (Record r : batch) {
                            replay.record(log.topicPartition(), r, producerId);
                        }
                    }
                    offset = batch.nextOffset();
                }
            }
        }
    }
}
