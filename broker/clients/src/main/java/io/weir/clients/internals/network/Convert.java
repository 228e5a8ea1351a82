package io.weir.clients.internals.network;

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

/**
 * Value translations between the types every Weir client shares (partitions, headers, partition metadata) and
 * kafka-clients' namesakes; each client's own types are translated in its {@code internals.network} package. Both
 * follow Kafka's model field for field, so each is a copy; where Kafka carries more (a partition's replicas) it is
 * dropped. Stateless and thread-safe.
 */
public final class Convert {
    private Convert() {}

    public static TopicPartition weir(org.apache.kafka.common.TopicPartition tp) {
        return new TopicPartition(tp.topic(), tp.partition());
    }

    public static org.apache.kafka.common.TopicPartition kafka(TopicPartition tp) {
        return new org.apache.kafka.common.TopicPartition(tp.topic(), tp.partition());
    }

    public static List<org.apache.kafka.common.TopicPartition> kafka(Collection<TopicPartition> partitions) {
        List<org.apache.kafka.common.TopicPartition> out = new ArrayList<>(partitions.size());
        partitions.forEach(tp -> out.add(kafka(tp)));
        return out;
    }

    public static Set<TopicPartition> weir(Collection<org.apache.kafka.common.TopicPartition> partitions) {
        Set<TopicPartition> out = new LinkedHashSet<>();
        partitions.forEach(tp -> out.add(weir(tp)));
        return out;
    }

    /** Re-keys a Weir-keyed map for Kafka, converting each value. */
    public static <A, B> Map<org.apache.kafka.common.TopicPartition, B> toKafka(
            Map<TopicPartition, A> map, Function<A, B> value) {
        Map<org.apache.kafka.common.TopicPartition, B> out = new LinkedHashMap<>();
        map.forEach((tp, v) -> out.put(kafka(tp), v == null ? null : value.apply(v)));
        return out;
    }

    /** Re-keys a Kafka-keyed map for Weir, converting each value (null values stay null). */
    public static <A, B> Map<TopicPartition, B> toWeir(
            Map<org.apache.kafka.common.TopicPartition, A> map, Function<A, B> value) {
        Map<TopicPartition, B> out = new HashMap<>();
        map.forEach((tp, v) -> out.put(weir(tp), v == null ? null : value.apply(v)));
        return out;
    }

    public static Headers kafkaHeaders(List<Header> headers) {
        RecordHeaders out = new RecordHeaders();
        headers.forEach(h -> out.add(new RecordHeader(h.key(), h.value())));
        return out;
    }

    public static List<Header> weirHeaders(Headers headers) {
        List<Header> out = new ArrayList<>();
        headers.forEach(h -> out.add(new Header(h.key(), h.value())));
        return out;
    }

    public static List<PartitionInfo> weir(List<org.apache.kafka.common.PartitionInfo> partitions) {
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
