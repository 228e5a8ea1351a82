package io.weir.broker.internals.txn;

import io.weir.broker.internals.coordinator.InternalTopic;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.coordinator.TransactionLog;
import io.weir.transactions.coordinator.WriteCallback;
import java.util.ArrayList;
import java.util.List;

/**
 * The {@link TransactionLog} of the broker: Kafka's {@code __transaction_state}, a compacted {@link InternalTopic}
 * whose partition for a transactional id is {@code abs(transactionalId.hashCode()) % partitions} (Kafka's
 * {@code Utils.abs}, which maps {@code Integer.MIN_VALUE} to 0). The topic is created on first use with
 * {@code transaction.state.log.num.partitions} partitions and {@code transaction.state.log.segment.bytes};
 * afterwards its existing partition count decides, so a changed setting never moves an id.
 *
 * <p>Records go through the append rings with origin COORDINATOR, one batch per write (one record, or a completion
 * and the next Ongoing together), so a write lands whole or not at all and is as durable as any acks=all record
 * under the broker's flush policy. The completion runs on an append thread,
 * which must never wait for the coordinator; it is handed to the coordinator's thread instead. This class owns
 * the records' layout ({@link TransactionLogSerde}); the topic itself is the shared {@link InternalTopic}.
 *
 * <p>Thread-safe.
 */
final class TransactionStateTopic implements TransactionLog {
    static final String TOPIC = "__transaction_state";
    private static final Header[] NO_HEADERS = new Header[0];

    private final InternalTopic topic;
    private final Time time;
    private final CoordinatorThread coordinatorThread;

    TransactionStateTopic(
            LogManager logManager,
            AppendRings rings,
            int configuredPartitions,
            int segmentBytes,
            long appendTimeoutMs,
            Time time,
            CoordinatorThread coordinatorThread) {
        this.topic = new InternalTopic(
                logManager,
                rings,
                TOPIC,
                configuredPartitions,
                segmentBytes,
                appendTimeoutMs,
                TransactionStateTopic::abs);
        this.time = time;
        this.coordinatorThread = coordinatorThread;
    }

    private static int abs(String transactionalId) {
        int hash = transactionalId.hashCode();
        return hash == Integer.MIN_VALUE ? 0 : Math.abs(hash);
    }

    /** The partition that holds {@code transactionalId}. */
    TopicPartition partitionFor(String transactionalId) {
        return topic.partitionFor(transactionalId);
    }

    @Override
    public void write(List<Record> records, WriteCallback done) {
        if (records.isEmpty()) {
            throw new IllegalArgumentException("A transaction log write needs at least one record");
        }
        String id = records.get(0).transactionalId();
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        long now = time.milliseconds();
        for (Record record : records) {
            if (!record.transactionalId().equals(id)) {
                throw new IllegalArgumentException("One transaction log write holds the records of one id, not " + id
                        + " and " + record.transactionalId());
            }
            builder.append(
                    now,
                    TransactionLogSerde.key(record.transactionalId()),
                    record.value() == null ? null : TransactionLogSerde.value(record.value()),
                    NO_HEADERS);
        }
        topic.append(id, builder.build(), (info, error) -> coordinatorThread.callBack(done, error));
    }

    /**
     * Every record of the topic, partition by partition, each in log order (the order that matters: all
     * records of one id are in one partition). Called once while the broker opens.
     *
     * @throws io.weir.common.errors.CorruptRecordException naming the partition and offset of a bad record
     */
    List<Record> load() {
        List<Record> out = new ArrayList<>();
        topic.load((partition, r, producerId) ->
                out.add(TransactionLogSerde.read(r.key(), r.value(), partition, r.offset())));
        return out;
    }
}
