package io.weir.peer;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * A consume-transform-produce loop with Weir's clients, exactly once: each poll's records are transformed and
 * written in one transaction together with the consumer's positions ({@code sendOffsetsToTransaction}). Every
 * third transaction is aborted, as a failure mid-batch would be, and the consumer rewinds to the group's committed
 * offsets; the output a {@code read_committed} reader sees must still hold every input exactly once, in order.
 */
final class ExactlyOnceLoop {
    private final Clients clients;
    private final String name;

    ExactlyOnceLoop(Clients clients, String name) {
        this.clients = clients;
        this.name = name;
    }

    void run(int records) throws Exception {
        String input = name + "-in";
        String output = name + "-out";
        clients.createTopic(input, 2);
        clients.createTopic(output, 2);
        try (Producer<String, String> producer = clients.producer(Map.of())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(input, "k" + (i % 7), Integer.toString(i)));
            }
        }
        int transactions = 0;
        int copied = 0;
        try (Consumer<String, String> consumer = clients.consumer(
                        Map.of("group.id", name, "isolation.level", "read_committed", "max.poll.records", 17));
                Producer<String, String> producer = clients.producer(Map.of("transactional.id", name))) {
            producer.initTransactions();
            consumer.subscribe(List.of(input));
            long deadline = System.nanoTime() + Clients.DEADLINE.toNanos();
            while (copied < records) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("Copied " + copied + " of " + records + " before the deadline");
                }
                ConsumerRecords<String, String> polled = consumer.poll(Duration.ofMillis(100));
                if (polled.isEmpty()) {
                    continue;
                }
                producer.beginTransaction();
                Map<TopicPartition, OffsetAndMetadata> next = new HashMap<>();
                for (ConsumerRecord<String, String> r : polled) {
                    producer.send(new ProducerRecord<>(output, r.key(), "V" + r.value()));
                    next.put(new TopicPartition(r.topic(), r.partition()), new OffsetAndMetadata(r.offset() + 1));
                }
                producer.sendOffsetsToTransaction(next, consumer.groupMetadata());
                if (++transactions % 3 == 0) {
                    producer.abortTransaction();
                    Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(consumer.assignment());
                    for (TopicPartition tp : consumer.assignment()) {
                        OffsetAndMetadata at = committed.get(tp);
                        consumer.seek(tp, at == null ? 0 : at.offset());
                    }
                } else {
                    producer.commitTransaction();
                    copied += polled.count();
                }
            }
        }
        Map<String, Integer> seen = new TreeMap<>();
        try (Consumer<String, String> reader = clients.consumer(Map.of("isolation.level", "read_committed"))) {
            reader.assign(List.of(new TopicPartition(output, 0), new TopicPartition(output, 1)));
            for (ConsumerRecord<String, String> r : Clients.pollUntil(reader, records)) {
                seen.merge(r.value(), 1, Integer::sum);
            }
            assertEquals(0, reader.poll(Duration.ofMillis(200)).count(), "records beyond the inputs");
        }
        assertEquals(records, seen.size(), "distinct outputs");
        assertEquals(Set.of(1), Set.copyOf(seen.values()), "each output once");
    }
}
