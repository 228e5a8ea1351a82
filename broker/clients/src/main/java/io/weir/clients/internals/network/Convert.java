package io.weir.clients.internals.network;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.record.Header;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import org.apache.kafka.common.header.Headers;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;

/**
 * Value translations between Weir's client types and kafka-clients' namesakes. Both follow Kafka's model field
 * for field, so each is a copy; where Kafka carries more (a record's leader epoch, a partition's replicas) it is
 * dropped, and where Weir carries more nothing is lost. Stateless and thread-safe.
 */
final class Convert {
    private Convert() {}

    static TopicPartition weir(org.apache.kafka.common.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    static org.apache.kafka.common.TopicPartition kafka(TopicPartition tp) {
        return new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
    }

    static List<org.apache.kafka.common.TopicPartition> kafka(Collection<TopicPartition> partitions) {
        List<org.apache.kafka.common.TopicPartition> out = new ArrayList<>(partitions.size());
        partitions.forEach(tp -> out.add(kafka(tp)));
        return out;
    }

    static Set<TopicPartition> weir(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        partitions.forEach(tp -> out.add(weir(tp)));
        return out;
    }

    /** Re-keys a Weir-keyed map for Kafka, converting each value. */
    static <A, B> Map<org.apache.kafka.common.TopicPartition, B> toKafka(
            Map<TopicPartition, A> map, Function<A, B> value) {
        Map<org.apache.kafka.common.TopicPartition, B> out = new LinkedHashMap<>();
        map.forEach((tp, v) -> out.put(kafka(tp), v == null ? null : value.apply(v)));
        return out;
    }

    /** Re-keys a Kafka-keyed map for Weir, converting each value (null values stay null). */
    static <A, B> Map<TopicPartition, B> toWeir(
            Map<org.apache.kafka.common.TopicPartition, A> map, Function<A, B> value) {
        Map<TopicPartition, B> out = new HashMap<>();
        map.forEach((tp, v) -> out.put(weir(tp), v == null ? null : value.apply(v)));
        return out;
    }

    static org.apache.kafka.clients.consumer.OffsetAndMetadata kafka(OffsetAndMetadata o) {
        return new org.apache.kafka.clients.consumer.OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata());
    }

    static OffsetAndMetadata weir(org.apache.kafka.clients.consumer.OffsetAndMetadata o) {
        return new OffsetAndMetadata(o.offset(), o.leaderEpoch(), o.metadata());
    }

    static org.apache.kafka.clients.consumer.ConsumerGroupMetadata kafka(ConsumerGroupMetadata m) {
        return new org.apache.kafka.clients.consumer.ConsumerGroupMetadata(
                m.groupId(), m.generationId(), m.memberId(), m.groupInstanceId());
    }

    static ConsumerGroupMetadata weir(org.apache.kafka.clients.consumer.ConsumerGroupMetadata m) {
        return new ConsumerGroupMetadata(m.groupId(), m.generationId(), m.memberId(), m.groupInstanceId());
    }

    static Headers kafkaHeaders(List<Header> headers) {
        RecordHeaders out = new RecordHeaders();
        headers.forEach(h -> out.add(new RecordHeader(h.key(), h.value())));
        return out;
    }

    static List<Header> weirHeaders(Headers headers) {
        List<Header> out = new ArrayList<>();
        headers.forEach(h -> out.add(new Header(h.key(), h.value())));
        return out;
    }

    static RecordMetadata weir(org.apache.kafka.clients.producer.RecordMetadata m) {
        return new RecordMetadata(
                new TopicPartition(m.topic(), m.partition()),
                m.hasOffset() ? m.offset() : -1,
                m.timestamp(),
                m.serializedKeySize(),
                m.serializedValueSize());
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
                weirHeaders(r.headers()));
    }

    static List<PartitionInfo> weir(List<org.apache.kafka.common.PartitionInfo> partitions) {
        List<PartitionInfo> out = new ArrayList<>(partitions.size());
        for (org.apache.kafka.common.PartitionInfo p : partitions) {
            out.add(new PartitionInfo(
                    p.topic(),
                    p.partition(),
                    p.leader() == null ? -1 : p.leader().id()));
        }
        return out;
    }
}
