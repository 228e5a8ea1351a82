package io.weir.broker.internals.group;

import io.weir.broker.TopicPartition;
import io.weir.broker.common.Time;
import io.weir.broker.errors.CorruptRecordException;
import io.weir.broker.errors.WeirException;
import io.weir.broker.internals.LogManager;
import io.weir.broker.internals.log.FetchDataInfo;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.write.AppendOrigin;
import io.weir.broker.internals.write.AppendRings;
import io.weir.broker.record.CompressionType;
import io.weir.broker.record.ControlRecordType;
import io.weir.broker.record.Header;
import io.weir.broker.record.Record;
import io.weir.broker.record.RecordBatch;
import io.weir.broker.record.RecordBatchBuilder;
import io.weir.broker.record.RecordBatches;
import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link GroupStore} of the broker: Kafka's {@code __consumer_offsets}, a compacted internal topic whose
 * partition for a group is {@code abs(groupId.hashCode()) % partitions}, as in Kafka. The topic is created on
 * first use with {@code offsets.topic.num.partitions} partitions and {@code offsets.topic.segment.bytes};
 * afterwards its existing partition count decides, so a changed setting never moves a group.
 *
 * <p>Appends go through the append rings like any produce with acks=all (origin COORDINATOR), so a commit is as
 * durable as a record under the broker's flush policy. Offsets sent with a transaction are a transactional
 * batch of the producer with no sequence, as Kafka writes them; {@link #load} hands plain records,
 * transactional ones and the transactions' markers to a {@link LoadSink} in log order. Thread-safe.
 */
public final class OffsetsTopicStore implements GroupStore {
    public static final String TOPIC = "__consumer_offsets";
    private static final Header[] NO_HEADERS = new Header[0];

    private final LogManager logManager;
    private final AppendRings rings;
    private final int configuredPartitions;
    private final Map<String, String> topicConfig;
    private final long appendTimeoutMs;
    private final Time time;

    public OffsetsTopicStore(LogManager logManager, AppendRings rings, int configuredPartitions, int segmentBytes,
                             long appendTimeoutMs, Time time) {
        this.logManager = logManager;
        this.rings = rings;
        this.configuredPartitions = configuredPartitions;
        this.topicConfig = Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes));
        this.appendTimeoutMs = appendTimeoutMs;
        this.time = time;
    }

    /** The partition of the offsets topic that holds {@code groupId}. */
    @Override
    public TopicPartition partitionFor(String groupId) {
        return new TopicPartition(TOPIC, (groupId.hashCode() & 0x7fffffff) % partitionCount());
    }

    private int partitionCount() {
        return logManager.topicExists(TOPIC) ? logManager.topicMetadata(TOPIC).partitions() : configuredPartitions;
    }

    private void ensureTopic() {
        if (!logManager.topicExists(TOPIC)) {
            synchronized (this) {
                if (!logManager.topicExists(TOPIC)) {
                    logManager.createInternalTopic(TOPIC, configuredPartitions, topicConfig);
                }
            }
        }
    }

    @Override
    public CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Applied applied) {
        return append(groupId, records, new RecordBatchBuilder(CompressionType.NONE, RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false), applied);
    }

    @Override
    public CompletableFuture<Void> appendTransactional(String groupId, List<GroupRecord> records, long producerId,
                                                       short producerEpoch, Applied applied) {
        // No sequence: the batch is the coordinator's, not the producer's, as in Kafka.
        return append(groupId, records, new RecordBatchBuilder(CompressionType.NONE, producerId, producerEpoch,
                RecordBatch.NO_SEQUENCE, true), applied);
    }

    private CompletableFuture<Void> append(String groupId, List<GroupRecord> records, RecordBatchBuilder builder, Applied applied) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            ensureTopic();
            Log log = logManager.log(partitionFor(groupId));
            long now = time.milliseconds();
            for (GroupRecord r : records) {
                builder.append(now, GroupRecordSerde.key(r), GroupRecordSerde.value(r), NO_HEADERS);
            }
            rings.append(log, builder.build(), AppendOrigin.COORDINATOR, (info, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    applied.appendedAt(info.firstOffset());
                    done.complete(null);
                }
            }, appendTimeoutMs);
        } catch (WeirException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /** Where {@link #load} hands what it reads, in log order per partition. */
    public interface LoadSink {
        /** A record outside any transaction, at {@code offset}. */
        void record(GroupRecord record, long offset);

        /** An offset committed in the transaction of {@code producerId}, at {@code offset}; pending until its marker. */
        void transactional(GroupRecord.OffsetCommit record, long producerId, long offset);

        /** The commit or abort marker of {@code producerId}'s transaction on {@code partition}. */
        void marker(TopicPartition partition, long producerId, TransactionResult result);
    }

    /** A sink that feeds the offset coordinator and the transactional offsets of a broker's groups. */
    public static LoadSink sinkFor(OffsetCoordinator offsets, TxnOffsetCommits txnOffsets) {
        return new LoadSink() {
            @Override
            public void record(GroupRecord record, long offset) {
                offsets.load(record, offset);
            }

            @Override
            public void transactional(GroupRecord.OffsetCommit record, long producerId, long offset) {
                txnOffsets.loadTransactional(record, producerId, offset);
            }

            @Override
            public void marker(TopicPartition partition, long producerId, TransactionResult result) {
                txnOffsets.onMarker(partition, producerId, result);
            }
        };
    }

    /**
     * Reads every partition of the offsets topic from its start to its high watermark and hands each record
     * and marker to {@code sink} in log order. Called once while the broker opens.
     *
     * @throws io.weir.broker.errors.CorruptRecordException naming the offset of a record that does not decode
     */
    public void load(LoadSink sink) {
        if (!logManager.topicExists(TOPIC)) {
            return;
        }
        int partitions = logManager.topicMetadata(TOPIC).partitions();
        for (int p = 0; p < partitions; p++) {
            Log log = logManager.log(new TopicPartition(TOPIC, p));
            long offset = log.logStartOffset();
            while (offset < log.highWatermark()) {
                FetchDataInfo data = log.read(offset, 1 << 20, true);
                if (!data.batches().hasRemaining()) {
                    break;
                }
                for (RecordBatch batch : RecordBatches.iterable(data.batches())) {
                    try {
                        batch.ensureValid();
                    } catch (CorruptRecordException e) {
                        throw log.corruptBatch(batch.baseOffset(), e);
                    }
                    if (batch.isControl()) {
                        sink.marker(log.topicPartition(), batch.producerId(), batch.controlType() == ControlRecordType.COMMIT
                                ? TransactionResult.COMMIT : TransactionResult.ABORT);
                    } else {
                        for (Record r : batch) {
                            GroupRecord record = GroupRecordSerde.read(r.key(), r.value(), r.offset());
                            if (batch.isTransactional() && record instanceof GroupRecord.OffsetCommit oc) {
                                sink.transactional(oc, batch.producerId(), r.offset());
                            } else {
                                sink.record(record, r.offset());
                            }
                        }
                    }
                    offset = batch.nextOffset();
                }
            }
        }
    }
}
