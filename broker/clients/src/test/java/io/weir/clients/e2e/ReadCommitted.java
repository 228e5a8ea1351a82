package io.weir.clients.e2e;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.StringDeserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** Reads every partition of a topic from the start to its end with a {@code read_committed} consumer. */
final class ReadCommitted {
    private ReadCommitted() {}

    /**
     * The values of each partition in offset order, up to the end offsets (the last stable offsets) taken when
     * the read starts.
     *
     * @throws AssertionError if the end is not reached within 30 s
     */
    static Map<Integer, List<String>> readAll(String bootstrapServers, String topic, int partitions) {
        Map<Integer, List<String>> out = new TreeMap<>();
        List<TopicPartition> tps = new ArrayList<>();
        for (int p = 0; p < partitions; p++) {
            tps.add(new TopicPartition(topic, p));
            out.put(p, new ArrayList<>());
        }
        try (Consumer<String, String> consumer = Consumer.create(
                Map.of(
                        "bootstrap.servers",
                        bootstrapServers,
                        "isolation.level",
                        IsolationLevel.READ_COMMITTED.configName(),
                        "auto.offset.reset",
                        "earliest"),
                new StringDeserializer(),
                new StringDeserializer())) {
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp))) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("read_committed read of " + topic + " did not reach " + end + " in 30 s");
                }
                for (ConsumerRecord<String, String> record : consumer.poll(Duration.ofMillis(100))) {
                    out.get(record.partition()).add(record.value());
                }
            }
        }
        return out;
    }
}
