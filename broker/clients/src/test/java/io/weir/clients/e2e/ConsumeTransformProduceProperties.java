package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.ConsumerImpl;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.clients.producer.internals.ProducerImpl;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.Time;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * The exactly-once loop applications run: consume from an input topic, write a copy to an output topic and
 * send the consumed positions into the same transaction. The loop is killed at random points — in the middle
 * of a transaction, after its offsets were sent, right after a commit — sometimes together with a crash of
 * the broker, and a new instance with the same {@code transactional.id} and group takes over, fencing the dead
 * one. Once a final instance has caught up, the output read with {@code read_committed} must equal the input
 * exactly: every record once, in order, per partition.
 */
class ConsumeTransformProduceProperties {
    private static final int PARTITIONS = 2;
    private static final int RECORDS = 400;

    /** Where a loop instance dies: after copying {@code afterRecords} records, at {@code phase}. */
    record Crash(int afterRecords, Phase phase, boolean brokerToo) {}

    enum Phase {
        MID_TRANSACTION,
        AFTER_SENDING_OFFSETS,
        AFTER_COMMIT
    }

    private Path dir;

    @BeforeTry
    void createDir() throws IOException {
        dir = Files.createTempDirectory("weir-ctp-");
    }

    @AfterTry
    void deleteDir() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 8, seed = "20261122", shrinking = ShrinkingMode.OFF)
    void outputEqualsInputExactlyOnceDespiteCrashes(
            @ForAll("crashes") List<Crash> crashes, @ForAll("faultSeeds") long faultSeed) throws Exception {
        try (FaultyBroker broker = new FaultyBroker(
                dir,
                Map.of(
                        "offsets.topic.num.partitions",
                        "2",
                        "transaction.state.log.num.partitions",
                        "2",
                        "group.min.session.timeout.ms",
                        "100"),
                faultSeed,
                0.05,
                0.05)) {
            Map<Integer, List<String>> input = fillInput(broker);
            for (Crash crash : crashes) {
                new Loop(broker).runUntil(crash);
                if (crash.brokerToo()) {
                    broker.restart(true);
                }
            }
            new Loop(broker).runToEnd();
            Map<Integer, List<String>> output =
                    ReadCommitted.readAll(broker.broker().bootstrapServers(), "out", PARTITIONS);
            assertEquals(input, output, "the output is not the input exactly once; crashes " + crashes);
        }
    }

    @Provide
    Arbitrary<Long> faultSeeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<Crash>> crashes() {
        Arbitrary<Crash> crash = Combinators.combine(
                        Arbitraries.integers().between(0, RECORDS),
                        Arbitraries.of(Phase.class),
                        Arbitraries.of(false, false, true))
                .as(Crash::new);
        return crash.list().ofMinSize(1).ofMaxSize(4);
    }

    private static Map<Integer, List<String>> fillInput(FaultyBroker broker) throws Exception {
        String bootstrap = broker.broker().bootstrapServers();
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            admin.createTopics(List.of(
                            new NewTopic("in", PARTITIONS, Map.of()), new NewTopic("out", PARTITIONS, Map.of())))
                    .all()
                    .get(30, TimeUnit.SECONDS);
        }
        Map<Integer, List<String>> input = new HashMap<>();
        List<Future<RecordMetadata>> sent = new ArrayList<>();
        try (Producer<String, String> producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < RECORDS; i++) {
                int partition = i % PARTITIONS;
                String value = "v" + i;
                input.computeIfAbsent(partition, k -> new ArrayList<>()).add(value);
                sent.add(producer.send(new ProducerRecord<>("in", partition, null, value)));
            }
        }
        // The input is what the broker acknowledged, under the same injected faults: a send that failed would
        // show up later as "missing output", so say so here, with its cause.
        for (int i = 0; i < sent.size(); i++) {
            try {
                sent.get(i).get(30, TimeUnit.SECONDS);
            } catch (ExecutionException e) {
                throw new AssertionError("the input record v" + i + " was not written: " + e.getCause(), e.getCause());
            }
        }
        return input;
    }

    /** One instance of the application: a consumer in group "copier" and a transactional producer. */
    private static final class Loop {
        private final ConsumerImpl<String, String> consumer;
        private final ProducerImpl<String, String> producer;
        private int copied;

        Loop(FaultyBroker broker) {
            consumer = new ConsumerImpl<>(
                    ConsumerConfig.from(Map.of(
                            "bootstrap.servers",
                            "embedded:unused",
                            "group.id",
                            "copier",
                            "enable.auto.commit",
                            "false",
                            "auto.offset.reset",
                            "earliest",
                            "isolation.level",
                            "read_committed",
                            "max.poll.records",
                            "37",
                            "session.timeout.ms",
                            "1000",
                            "heartbeat.interval.ms",
                            "100")),
                    new StringDeserializer(),
                    new StringDeserializer(),
                    broker.api(),
                    Time.SYSTEM);
            producer = new ProducerImpl<>(
                    ProducerConfig.from(Map.of(
                            "bootstrap.servers",
                            "embedded:unused",
                            "transactional.id",
                            "copier-tx",
                            "linger.ms",
                            "0",
                            "retry.backoff.ms",
                            "5",
                            "max.block.ms",
                            "20000")),
                    new StringSerializer(),
                    new StringSerializer(),
                    broker.api(),
                    Time.SYSTEM);
            producer.initTransactions();
            consumer.subscribe(List.of("in"));
        }

        /** Copies until the crash point, then dies without cleaning up (a zombie producer, no commit). */
        void runUntil(Crash crash) {
            try {
                while (true) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                    if (records.isEmpty()) {
                        if (caughtUp()) {
                            return; // the crash point lies past the end of the input
                        }
                        continue;
                    }
                    producer.beginTransaction();
                    for (ConsumerRecord<String, String> record : records) {
                        producer.send(new ProducerRecord<>("out", record.partition(), null, record.value()));
                        copied++;
                        if (crash.phase() == Phase.MID_TRANSACTION && copied >= crash.afterRecords()) {
                            return;
                        }
                    }
                    producer.sendOffsetsToTransaction(positions(records), consumer.groupMetadata());
                    if (crash.phase() == Phase.AFTER_SENDING_OFFSETS && copied >= crash.afterRecords()) {
                        return;
                    }
                    producer.commitTransaction();
                    if (crash.phase() == Phase.AFTER_COMMIT && copied >= crash.afterRecords()) {
                        return;
                    }
                }
            } finally {
                // A kill: nothing is flushed, committed or aborted. The consumer's leave only saves the test
                // a session timeout; its offsets live in the transactions alone.
                producer.close(Duration.ZERO);
                consumer.close(Duration.ZERO);
            }
        }

        void runToEnd() {
            try {
                while (!caughtUp()) {
                    ConsumerRecords<String, String> records = consumer.poll(Duration.ofMillis(50));
                    if (records.isEmpty()) {
                        continue;
                    }
                    producer.beginTransaction();
                    for (ConsumerRecord<String, String> record : records) {
                        producer.send(new ProducerRecord<>("out", record.partition(), null, record.value()));
                    }
                    producer.sendOffsetsToTransaction(positions(records), consumer.groupMetadata());
                    producer.commitTransaction();
                }
            } finally {
                producer.close(Duration.ofSeconds(5));
                consumer.close(Duration.ofSeconds(5));
            }
        }

        private Map<TopicPartition, OffsetAndMetadata> positions(ConsumerRecords<String, String> records) {
            Map<TopicPartition, OffsetAndMetadata> out = new HashMap<>();
            for (TopicPartition tp : records.partitions()) {
                out.put(tp, new OffsetAndMetadata(consumer.position(tp)));
            }
            return out;
        }

        /** Whether the group's committed offsets cover the whole input. */
        private boolean caughtUp() {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < PARTITIONS; p++) {
                tps.add(new TopicPartition("in", p));
            }
            Map<TopicPartition, Long> end = consumer.endOffsets(tps);
            Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new java.util.HashSet<>(tps));
            for (TopicPartition tp : tps) {
                OffsetAndMetadata c = committed.get(tp);
                if (c == null || c.offset() < end.get(tp)) {
                    return false;
                }
            }
            return true;
        }
    }
}
