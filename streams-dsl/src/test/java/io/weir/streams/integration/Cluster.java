package io.weir.streams.integration;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.WeirStreams;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** What the runtime's tests do with a broker: create topics, write input, read committed output, wait. */
final class Cluster {
    private Cluster() {}

    static void createTopic(String bootstrap, String topic, int partitions) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(new NewTopic(topic, partitions))).all().get(30, TimeUnit.SECONDS);
        }
    }

    static void produce(String bootstrap, String topic, List<String[]> keyValues) throws Exception {
        try (Producer<String, String> producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (String[] kv : keyValues) {
                producer.send(new ProducerRecord<>(topic, kv[0], kv[1])).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** Every read_committed record of {@code topic} from its start, until {@code done} holds of what was read. */
    static <V> List<ConsumerRecord<String, V>> readUntil(
            String bootstrap,
            String topic,
            Deserializer<V> values,
            java.util.function.Predicate<List<ConsumerRecord<String, V>>> done)
            throws Exception {
        List<ConsumerRecord<String, V>> read = new ArrayList<>();
        try (Consumer<String, V> consumer = Consumer.create(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "isolation.level",
                        "read_committed",
                        "auto.offset.reset",
                        "earliest",
                        "group.id",
                        "reader-" + System.nanoTime()),
                new StringDeserializer(),
                values)) {
            consumer.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done.test(read)) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Timed out reading " + topic + "; read " + read.size() + ": " + read);
                }
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
            }
        }
        return read;
    }

    /** The last value of each key. */
    static <V> Map<String, V> latest(List<ConsumerRecord<String, V>> records) {
        Map<String, V> out = new LinkedHashMap<>();
        records.forEach(r -> out.put(r.key(), r.value()));
        return out;
    }

    /**
     * Reads {@code read} until {@code done} holds of what it gives, at most 60 s: for state that follows an event the
     * test saw by at most one step of another thread (a store's commit right after the broker's).
     */
    static <T> T eventually(java.util.function.Supplier<T> read, java.util.function.Predicate<T> done) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        T value = read.get();
        while (!done.test(value) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
            value = read.get();
        }
        return value;
    }

    /** Records a client's states, so a test can wait for one without polling. */
    static final class States implements WeirStreams.StateListener {
        private final List<WeirStreams.State> seen = new ArrayList<>();

        @Override
        public synchronized void onChange(WeirStreams.State newState, WeirStreams.State oldState) {
            seen.add(newState);
            notifyAll();
        }

        synchronized void await(WeirStreams.State state) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!seen.contains(state)) {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new AssertionError("Timed out waiting for " + state + "; states so far: " + seen);
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }

        synchronized List<WeirStreams.State> seen() {
            return List.copyOf(seen);
        }
    }
}
