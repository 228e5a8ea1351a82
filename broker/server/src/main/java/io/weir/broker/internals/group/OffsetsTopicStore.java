package io.weir.broker.internals.group;

import io.weir.broker.internals.coordinator.InternalTopic;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * The {@link GroupStore} of the broker: Kafka's {@code __consumer_offsets}, a compacted {@link InternalTopic}
 * whose partition for a group is {@code (groupId.hashCode() & 0x7fffffff) % partitions}. The topic is created on
 * first use with {@code offsets.topic.num.partitions} partitions and {@code offsets.topic.segment.bytes};
 * afterwards its existing partition count decides, so a changed setting never moves a group.
 *
 * <p>Appends go through the append rings like any produce with acks=all (origin COORDINATOR), so a commit is as
 * durable as a record under the broker's flush policy. Offsets sent with a transaction are a transactional
 * batch of the producer with no sequence, as Kafka writes them; {@link #load} hands plain records,
 * transactional ones and the transactions' markers to a {@link LoadSink} in log order. This class owns the
 * records' layout ({@link GroupRecordSerde}); the topic itself is the shared {@link InternalTopic}. Thread-safe.
 */
public final class OffsetsTopicStore implements GroupStore {
    public static final String TOPIC = "__consumer_offsets";
    private static final Header[] NO_HEADERS = new Header[0];

    private final InternalTopic topic;
    private final Time time;

    public OffsetsTopicStore(
            LogManager logManager,
            AppendRings rings,
            int configuredPartitions,
            int segmentBytes,
            long appendTimeoutMs,
            Time time) {
        this.topic = new InternalTopic(
                logManager,
                rings,
                TOPIC,
                configuredPartitions,
                segmentBytes,
                appendTimeoutMs,
                groupId -> groupId.hashCode() & 0x7fffffff);
        this.time = time;
    }

    /** The partition of the offsets topic that holds {@code groupId}. */
    @Override
    public TopicPartition partitionFor(String groupId) {
        return topic.partitionFor(groupId);
    }

    @Override
    public CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Applied applied) {
        return append(
                groupId,
                records,
                new RecordBatchBuilder(
                        CompressionType.NONE,
                        RecordBatch.NO_PRODUCER_ID,
                        RecordBatch.NO_PRODUCER_EPOCH,
                        RecordBatch.NO_SEQUENCE,
                        false),
                applied);
    }

    @Override
    public CompletableFuture<Void> appendTransactional(
            String groupId, List<GroupRecord> records, long producerId, short producerEpoch, Applied applied) {
        // No sequence: the batch is the coordinator's, not the producer's, as in Kafka.
        return append(
                groupId,
                records,
                new RecordBatchBuilder(CompressionType.NONE, producerId, producerEpoch, RecordBatch.NO_SEQUENCE, true),
                applied);
    }

    private CompletableFuture<Void> append(
            String groupId, List<GroupRecord> records, RecordBatchBuilder builder, Applied applied) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        long now = time.milliseconds();
        for (GroupRecord r : records) {
            builder.append(now, GroupRecordSerde.key(r), GroupRecordSerde.value(r), NO_HEADERS);
        }
        topic.append(groupId, builder.build(), (info, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                applied.appendedAt(info.firstOffset());
                done.complete(null);
            }
        });
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
     * Replays every partition of the offsets topic from its start to its high watermark, decoding each record
     * and handing it, and each marker, to {@code sink} in log order. Called once while the broker opens.
     *
     * @throws io.weir.common.errors.CorruptRecordException naming the offset of a record that does not decode
     */
    public void load(LoadSink sink) {
        topic.load(new InternalTopic.Replay() {
            @Override
            public void record(TopicPartition partition, Record r, long producerId) {
                GroupRecord record = GroupRecordSerde.read(r.key(), r.value(), r.offset());
                if (producerId != RecordBatch.NO_PRODUCER_ID && record instanceof GroupRecord.OffsetCommit oc) {
                    sink.transactional(oc, producerId, r.offset());
                } else {
                    sink.record(record, r.offset());
                }
            }

            @Override
            public void marker(TopicPartition partition, long producerId, TransactionResult result) {
                sink.marker(partition, producerId, result);
            }
        });
    }
}
