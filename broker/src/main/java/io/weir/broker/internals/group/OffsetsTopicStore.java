package io.weir.broker.internals.group;

import io.weir.broker.TopicPartition;
import io.weir.broker.common.Time;
import io.weir.broker.errors.WeirException;
import io.weir.broker.internals.LogManager;
import io.weir.broker.internals.log.FetchDataInfo;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.write.AppendOrigin;
import io.weir.broker.internals.write.AppendRings;
import io.weir.broker.record.CompressionType;
import io.weir.broker.record.Header;
import io.weir.broker.record.Record;
import io.weir.broker.record.RecordBatch;
import io.weir.broker.record.RecordBatchBuilder;
import io.weir.broker.record.RecordBatches;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.function.Consumer;

/**
 * The {@link GroupStore} of the broker: Kafka's {@code __consumer_offsets}, a compacted internal topic whose
 * partition for a group is {@code abs(groupId.hashCode()) % partitions}, as in Kafka. The topic is created on
 * first use with {@code offsets.topic.num.partitions} partitions; afterwards its existing partition count
 * decides, so a changed setting never moves a group.
 *
 * <p>Appends go through the append rings like any produce with acks=all, so a commit is as durable as a
 * record under the broker's flush policy. Thread-safe.
 */
public final class OffsetsTopicStore implements GroupStore {
    public static final String TOPIC = "__consumer_offsets";
    private static final Header[] NO_HEADERS = new Header[0];
    /** Kafka's offsets.topic.segment.bytes: small segments, so compaction (when built) has closed segments to clean. */
    private static final Map<String, String> TOPIC_CONFIG = Map.of("cleanup.policy", "compact", "segment.bytes", "104857600");

    private final LogManager logManager;
    private final AppendRings rings;
    private final int configuredPartitions;
    private final long appendTimeoutMs;
    private final Time time;

    public OffsetsTopicStore(LogManager logManager, AppendRings rings, int configuredPartitions, long appendTimeoutMs, Time time) {
        this.logManager = logManager;
        this.rings = rings;
        this.configuredPartitions = configuredPartitions;
        this.appendTimeoutMs = appendTimeoutMs;
        this.time = time;
    }

    /** The partition of the offsets topic that holds {@code groupId}. */
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
                    logManager.createInternalTopic(TOPIC, configuredPartitions, TOPIC_CONFIG);
                }
            }
        }
    }

    @Override
    public CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Runnable applied) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        try {
            ensureTopic();
            Log log = logManager.log(partitionFor(groupId));
            RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false);
            long now = time.milliseconds();
            for (GroupRecord r : records) {
                builder.append(now, GroupRecordSerde.key(r), GroupRecordSerde.value(r), NO_HEADERS);
            }
            rings.append(log, builder.build(), AppendOrigin.COORDINATOR, (info, error) -> {
                if (error != null) {
                    done.completeExceptionally(error);
                } else {
                    applied.run();
                    done.complete(null);
                }
            }, appendTimeoutMs);
        } catch (WeirException e) {
            done.completeExceptionally(e);
        }
        return done;
    }

    /**
     * Reads every partition of the offsets topic from its start to its high watermark and hands each record
     * to {@code sink} in log order. Called once while the broker opens.
     */
    public void load(Consumer<GroupRecord> sink) {
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
                    batch.ensureValid();
                    if (!batch.isControl()) {
                        for (Record r : batch) {
                            sink.accept(GroupRecordSerde.read(r.key(), r.value(), r.offset()));
                        }
                    }
                    offset = batch.nextOffset();
                }
            }
        }
    }
}
