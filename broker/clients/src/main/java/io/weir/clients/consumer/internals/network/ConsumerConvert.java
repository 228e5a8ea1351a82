package io.weir.clients.consumer.internals.network;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.network.Convert;
import org.apache.kafka.common.record.TimestampType;

/**
 * Translations of the consumer's types to and from kafka-clients': offsets, group metadata and records, field for
 * field (Kafka's record leader epoch is dropped: Weir's record has none). The producer's and admin's network
 * clients use the offset and group-metadata ones too. Stateless and thread-safe.
 */
public final class ConsumerConvert {
    private ConsumerConvert() {}

    public static org.apache.kafka.clients.consumer.OffsetAndMetadata kafka(OffsetAndMetadata o) {
        return new org.apache.kafka.clients.consumer.OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata());
    }

    public static OffsetAndMetadata weir(org.apache.kafka.clients.consumer.OffsetAndMetadata o) {
        return new OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata());
    }

    public static org.apache.kafka.clients.consumer.ConsumerGroupMetadata kafka(ConsumerGroupMetadata m) {
        return new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(
                m.groupId(), m.generationId(), m.memberId(), m.groupInstanceId());
    }

    public static ConsumerGroupMetadata weir(org.apache.kafka.clients.consumer.ConsumerGroupMetadata m) {
        return new ConsumerGroupMetadata(m.groupId(), m.generationId(), m.memberId(), m.groupInstanceId());
    }

    static <K, V> ConsumerRecord<K, V> weir(org.apache.kafka.clients.consumer.ConsumerRecord<K, V> r) {
        return new ConsumerRecord<>(
                r.topic(),
                r.partition(),
                r.offset(),
                r.timestamp(),
                r.timestampType() == TimestampType.LOG_APPEND_TIME
                        ? ConsumerRecord.TimestampType.LOG_APPEND_TIME
                        : ConsumerRecord.TimestampType.CREATE_TIME,
                r.serializedKeySize(),
                r.serializedValueSize(),
                r.key(),
                r.value(),
                Convert.weirHeaders(r.headers()));
    }
}
