package io.weir.broker.internals.txn;

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
import io.weir.broker.record.Header;
import io.weir.broker.record.Record;
import io.weir.broker.record.RecordBatch;
import io.weir.broker.record.RecordBatchBuilder;
import io.weir.broker.record.RecordBatches;
import io.weir.transactions.coordinator.TransactionLog;
import io.weir.transactions.coordinator.WriteCallback;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@link TransactionLog} of the broker: Kafka's {@code __transaction_state}, a compacted internal topic
 * whose partition for a transactional id is {@code abs(transactionalId.hashCode()) % partitions} (Kafka's
 * {@code Utils.abs}, which maps {@code Integer.MIN_VALUE} to 0). The topic is created on first use with
 * {@code transaction.state.log.num.partitions} partitions and {@code transaction.state.log.segment.bytes};
 * afterwards its existing partition count decides, so a changed setting never moves an id.
 *
 * <p>Records go through the append rings with origin COORDINATOR, one batch per record, so a transition is as
 * durable as any acks=all record under the broker's flush policy. The completion runs on an append thread,
 * which must never wait for the coordinator; it is handed to the coordinator's thread instead.
 *
 * <p>Thread-safe.
 */
final class TransactionStateTopic implements TransactionLog {
    static final String TOPIC = "__transaction_state";
    private static final Header[] NO_HEADERS = new Header[0];

    private final LogManager logManager;
    private final AppendRings rings;
    private final int configuredPartitions;
    private final Map<String, String> topicConfig;
    private final long appendTimeoutMs;
    private final Time time;
    private final CoordinatorThread coordinatorThread;

    TransactionStateTopic(LogManager logManager, AppendRings rings, int configuredPartitions, int segmentBytes,
                          long appendTimeoutMs, Time time, CoordinatorThread coordinatorThread) {
        this.logManager = logManager;
        this.rings = rings;
        this.configuredPartitions = configuredPartitions;
        this.topicConfig = Map.of("cleanup.policy", "compact", "segment.bytes", Integer.toString(segmentBytes));
        this.appendTimeoutMs = appendTimeoutMs;
        this.time = time;
        this.coordinatorThread = coordinatorThread;
    }

    /** The partition that holds {@code transactionalId}. */
    TopicPartition partitionFor(String transactionalId) {
        int hash = transactionalId.hashCode();
        int abs = hash == Integer.MIN_VALUE ? 0 : Math.abs(hash);
        return new TopicPartition(TOPIC, abs % partitionCount());
    }

    private int partitionCount() {
        return logManager.topicExists(TOPIC) ? logManager.topicMetadata(TOPIC).partitions() : configuredPartitions;
    }

    private void ensureTopic() {
        if (!logManager.topicExists(TOPIC)) {
            synchronized (this) { // one creator; LogManager refuses a second creation anyway
                if (!logManager.topicExists(TOPIC)) {
                    logManager.createInternalTopic(TOPIC, configuredPartitions, topicConfig);
                }
            }
        }
    }

    @Override
    public void write(Record record, WriteCallback done) {
        try {
            ensureTopic();
            Log log = logManager.log(partitionFor(record.transactionalId()));
            RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, RecordBatch.NO_PRODUCER_ID,
                    RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false);
            builder.append(time.milliseconds(), TransactionLogSerde.key(record.transactionalId()),
                    record.value() == null ? null : TransactionLogSerde.value(record.value()), NO_HEADERS);
            rings.append(log, builder.build(), AppendOrigin.COORDINATOR,
                    (info, error) -> coordinatorThread.callBack(done, error), appendTimeoutMs);
        } catch (WeirException e) {
            coordinatorThread.callBack(done, e);
        }
    }

    /**
     * Every record of the topic, partition by partition, each in log order (the order that matters: all
     * records of one id are in one partition). Called once while the broker opens.
     *
     * @throws io.weir.broker.errors.CorruptRecordException naming the partition and offset of a bad record
     */
    List<Record> load() {
        List<Record> out = new ArrayList<>();
        if (!logManager.topicExists(TOPIC)) {
            return out;
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
                    if (!batch.isControl()) {
                        for (io.weir.broker.record.Record r : batch) {
                            out.add(TransactionLogSerde.read(r.key(), r.value(), log.topicPartition(), r.offset()));
                        }
                    }
                    offset = batch.nextOffset();
                }
            }
        }
        return out;
    }
}
