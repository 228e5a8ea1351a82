package io.weir.examples;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.PartitionInfo;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.Deserializer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BiConsumer;

/** What the examples do with topics besides streaming them: create them, and read one whole, read_committed. */
final class Topics {
    /** How long a read may see no progress before it gives up: a committed record is always readable at once. */
    private static final Duration STALL = Duration.ofSeconds(30);

    private Topics() {}

    /** Creates each topic that does not exist yet with its number of partitions. */
    static void createIfMissing(String bootstrap, Map<String, Integer> partitionsByTopic) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            Set<String> existing = admin.listTopics().get(30, TimeUnit.SECONDS);
            List<NewTopic> missing = new ArrayList<>();
            partitionsByTopic.forEach((topic, partitions) -> {
                if (!existing.contains(topic)) {
                    missing.add(new NewTopic(topic, partitions));
                }
            });
            if (!missing.isEmpty()) {
                admin.createTopics(missing).all().get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** The partitions of {@code topic} and, for each, the end of its committed records now (its last stable offset). */
    static Map<TopicPartition, Long> committedEnds(String bootstrap, String topic) {
        try (Consumer<byte[], byte[]> consumer = Consumer.create(
                readCommittedConfig(bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (PartitionInfo info : consumer.partitionsFor(topic)) {
                partitions.add(new TopicPartition(topic, info.partition()));
            }
            return consumer.endOffsets(partitions);
        }
    }

    /**
     * Reads every committed record of the given partitions from their beginning up to the given offsets, handing each
     * key and value to {@code each} in partition order; returns how many it read.
     *
     * @throws IllegalStateException if the read makes no progress for {@link #STALL}
     */
    static <K, V> long readCommitted(
            String bootstrap,
            Map<TopicPartition, Long> ends,
            Deserializer<K> keys,
            Deserializer<V> values,
            BiConsumer<K, V> each) {
        long read = 0;
        try (Consumer<K, V> consumer = Consumer.create(readCommittedConfig(bootstrap), keys, values)) {
            consumer.assign(ends.keySet());
            consumer.seekToBeginning(ends.keySet());
            long lastProgress = System.nanoTime();
            while (!reachedEnds(consumer, ends)) {
                boolean any = false;
                for (ConsumerRecord<K, V> record : consumer.poll(Duration.ofMillis(100))) {
                    TopicPartition partition = new TopicPartition(record.topic(), record.partition());
                    if (record.offset() < ends.get(partition)) {
                        each.accept(record.key(), record.value());
                        read++;
                        any = true;
                    }
                }
                if (any) {
                    lastProgress = System.nanoTime();
                } else if (System.nanoTime() - lastProgress > STALL.toNanos()) {
                    throw new IllegalStateException("Reading " + ends.keySet() + " up to " + ends
                            + " made no progress for " + STALL + "; read " + read + " records");
                }
            }
        }
        return read;
    }

    private static boolean reachedEnds(Consumer<?, ?> consumer, Map<TopicPartition, Long> ends) {
        for (Map.Entry<TopicPartition, Long> end : ends.entrySet()) {
            if (consumer.position(end.getKey()) < end.getValue()) {
                return false;
            }
        }
        return true;
    }

    private static Map<String, Object> readCommittedConfig(String bootstrap) {
        return Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed", "max.poll.records", 10_000);
    }
}
