package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.internals.ProducerImpl;
import io.weir.common.TopicPartition;
import io.weir.common.errors.ProducerFencedException;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.Time;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.lifecycle.BeforeTry;

/**
 * Exactly-once end to end, against a real broker on disk: several transactional producers interleave
 * transactions that commit or abort, add consumer offsets to them, are replaced by new instances (leaving
 * zombies that keep trying), while the transport duplicates produce requests and loses answers, and the
 * broker restarts (cleanly or by crashing) at random points. Afterwards a {@code read_committed} consumer
 * must see exactly the records of committed transactions, each once, every producer's records of a
 * partition in the order it sent them, none from an aborted transaction; and each group's committed offset
 * must be the one sent with the last transaction of that producer that became visible.
 *
 * <p>A transaction whose outcome the producer could not learn (its commit failed because of an injected
 * fault) must still be all or nothing. Each script is a list of small steps; a step that does not apply in
 * the current state (a commit with nothing open) is skipped. Shrinking is off: each try runs real threads
 * and files, and a failure prints its script.
 */
class TransactionalEndToEndProperties {
    private static final int PRODUCERS = 3;
    private static final int PARTITIONS = 3;
    private static final String TOPIC = "out";
    private static final String OFFSETS_TOPIC = "in";

    sealed interface Step {}

    record Send(int producer, int partition, int records) implements Step {}

    record SendOffsets(int producer) implements Step {}

    record Commit(int producer) implements Step {}

    record Abort(int producer) implements Step {}

    /** A new instance of the producer's transactional id; the old one becomes a zombie. */
    record NewInstance(int producer) implements Step {}

    /** The producer's newest zombie tries to write and commit; it must be fenced. */
    record ZombieWrite(int producer, int partition) implements Step {}

    record RestartBroker(boolean crash) implements Step {}

    private Path dir;

    @BeforeTry
    void createDir() throws IOException {
        dir = Files.createTempDirectory("weir-txn-e2e-");
    }

    @AfterTry
    void deleteDir() throws IOException {
        try (var paths = Files.walk(dir)) {
            paths.sorted(java.util.Comparator.reverseOrder())
                    .forEach(p -> p.toFile().delete());
        }
    }

    @Property(tries = 20, seed = "20261121", shrinking = ShrinkingMode.OFF)
    void readCommittedSeesExactlyTheCommittedTransactions(
            @ForAll("scripts") List<Step> script, @ForAll("faultSeeds") long faultSeed) throws Exception {
        try (World world = new World(dir, faultSeed)) {
            for (Step step : script) {
                world.run(step);
            }
            world.finishAndCheck(script);
        }
    }

    @Provide
    Arbitrary<Long> faultSeeds() {
        return Arbitraries.longs();
    }

    @Provide
    Arbitrary<List<Step>> scripts() {
        Arbitrary<Integer> producer = Arbitraries.integers().between(0, PRODUCERS - 1);
        Arbitrary<Integer> partition = Arbitraries.integers().between(0, PARTITIONS - 1);
        Arbitrary<Step> step = Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(
                        10,
                        net.jqwik.api.Combinators.combine(
                                        producer,
                                        partition,
                                        Arbitraries.integers().between(1, 4))
                                .as(Send::new)),
                net.jqwik.api.Tuple.of(3, producer.map(SendOffsets::new)),
                net.jqwik.api.Tuple.of(4, producer.map(Commit::new)),
                net.jqwik.api.Tuple.of(2, producer.map(Abort::new)),
                net.jqwik.api.Tuple.of(1, producer.map(NewInstance::new)),
                net.jqwik.api.Tuple.of(
                        1,
                        net.jqwik.api.Combinators.combine(producer, partition).as(ZombieWrite::new)),
                net.jqwik.api.Tuple.of(1, Arbitraries.of(true, false).map(RestartBroker::new)));
        return step.list().ofMinSize(5).ofMaxSize(30);
    }

    /** How a transaction ended, as far as its producer could tell. */
    enum Outcome {
        OPEN,
        COMMITTED,
        ABORTED,
        UNKNOWN
    }

    /** One transaction of one producer instance: its records in send order, per partition, and its offset. */
    static final class Txn {
        final int producer;
        final Map<Integer, List<String>> records = new LinkedHashMap<>();
        Long offset;
        /** The offsets were sent but the call failed, so they may or may not be part of the transaction. */
        boolean offsetUncertain;

        Outcome outcome = Outcome.OPEN;

        Txn(int producer) {
            this.producer = producer;
        }

        int size() {
            return records.values().stream().mapToInt(List::size).sum();
        }
    }

    /** A producer instance with its open transaction, if any. */
    static final class Instance {
        final ProducerImpl<String, String> producer;
        Txn open;

        Instance(ProducerImpl<String, String> producer) {
            this.producer = producer;
        }
    }

    static final class World implements AutoCloseable {
        private final FaultyBroker broker;
        private final Instance[] current = new Instance[PRODUCERS];
        private final List<List<Instance>> zombies = new ArrayList<>();
        private final List<Txn> txns = new ArrayList<>();
        private final List<String> zombieRecords = new ArrayList<>();
        private final long[] nextOffset = new long[PRODUCERS];
        private int nextRecord;

        World(Path dir, long faultSeed) throws Exception {
            broker = new FaultyBroker(
                    dir,
                    Map.of(
                            "num.partitions",
                            "1",
                            "offsets.topic.num.partitions",
                            "3",
                            "transaction.state.log.num.partitions",
                            "3"),
                    faultSeed,
                    0.15,
                    0.1);
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", broker.broker().bootstrapServers()))) {
                admin.createTopics(List.of(
                                new NewTopic(TOPIC, PARTITIONS, Map.of()), new NewTopic(OFFSETS_TOPIC, 1, Map.of())))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
            for (int p = 0; p < PRODUCERS; p++) {
                zombies.add(new ArrayList<>());
                current[p] = newInstance(p);
            }
        }

        private Instance newInstance(int p) {
            ProducerConfig config = ProducerConfig.from(Map.of(
                    "bootstrap.servers", "embedded:unused",
                    "transactional.id", "tx-" + p,
                    "acks", "all",
                    "linger.ms", "0",
                    "retry.backoff.ms", "5",
                    "max.block.ms", "20000",
                    "request.timeout.ms", "20000",
                    "delivery.timeout.ms", "60000"));
            ProducerImpl<String, String> producer = new ProducerImpl<>(
                    config, new StringSerializer(), new StringSerializer(), broker.api(), Time.SYSTEM);
            producer.initTransactions();
            return new Instance(producer);
        }

        void run(Step step) {
            if (step instanceof Send s) {
                send(current[s.producer()], s.producer(), s.partition(), s.records());
            } else if (step instanceof SendOffsets s) {
                sendOffsets(current[s.producer()], s.producer());
            } else if (step instanceof Commit c) {
                commit(current[c.producer()]);
            } else if (step instanceof Abort a) {
                abort(current[a.producer()]);
            } else if (step instanceof NewInstance n) {
                Instance old = current[n.producer()];
                current[n.producer()] = newInstance(n.producer());
                if (old.open != null) {
                    // The new instance's initTransactions aborted it.
                    old.open.outcome = old.open.outcome == Outcome.UNKNOWN ? Outcome.UNKNOWN : Outcome.ABORTED;
                    old.open = null;
                }
                zombies.get(n.producer()).add(old);
            } else if (step instanceof ZombieWrite z) {
                zombieWrite(z.producer(), z.partition());
            } else if (step instanceof RestartBroker r) {
                broker.restart(r.crash());
            }
        }

        private void begin(Instance instance, int p) {
            if (instance.open == null) {
                instance.producer.beginTransaction();
                instance.open = new Txn(p);
                txns.add(instance.open);
            }
        }

        private void send(Instance instance, int p, int partition, int records) {
            begin(instance, p);
            for (int i = 0; i < records; i++) {
                String value = "p" + p + "-r" + nextRecord++;
                instance.open
                        .records
                        .computeIfAbsent(partition, k -> new ArrayList<>())
                        .add(value);
                instance.producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
            }
        }

        private void sendOffsets(Instance instance, int p) {
            begin(instance, p);
            long offset = ++nextOffset[p];
            instance.open.offset = offset;
            try {
                instance.producer.sendOffsetsToTransaction(
                        Map.of(new TopicPartition(OFFSETS_TOPIC, 0), new OffsetAndMetadata(offset)),
                        new ConsumerGroupMetadata("g-" + p));
            } catch (RuntimeException e) {
                // Whether the offsets reached the transaction is unknown: give the transaction up, as an
                // application would. If even the abort fails, the outcome and the offsets stay unknown.
                instance.open.offsetUncertain = true;
                abort(instance);
            }
        }

        private void commit(Instance instance) {
            Txn txn = instance.open;
            if (txn == null) {
                return;
            }
            if (txn.size() == 0) {
                send(instance, txn.producer, 0, 1); // a transaction's outcome is observed through its records
            }
            try {
                instance.producer.commitTransaction();
                txn.outcome = Outcome.COMMITTED;
            } catch (ProducerFencedException e) {
                fail("the current instance of tx-" + txn.producer + " was fenced: " + e);
            } catch (RuntimeException e) {
                txn.outcome = Outcome.UNKNOWN;
                abortQuietly(instance);
            }
            instance.open = null;
        }

        private void abort(Instance instance) {
            Txn txn = instance.open;
            if (txn == null) {
                return;
            }
            abortQuietly(instance);
            txn.outcome = txn.outcome == Outcome.UNKNOWN ? Outcome.UNKNOWN : Outcome.ABORTED;
            instance.open = null;
        }

        /** Aborts after a failed commit, so the producer can go on; the first outcome stays what it was. */
        private void abortQuietly(Instance instance) {
            try {
                instance.producer.abortTransaction();
                if (instance.open != null && instance.open.outcome == Outcome.OPEN) {
                    instance.open.outcome = Outcome.ABORTED;
                }
            } catch (RuntimeException e) {
                if (instance.open != null && instance.open.outcome == Outcome.OPEN) {
                    instance.open.outcome = Outcome.UNKNOWN;
                }
            }
        }

        private void zombieWrite(int p, int partition) {
            List<Instance> old = zombies.get(p);
            if (old.isEmpty()) {
                return;
            }
            Instance zombie = old.get(old.size() - 1);
            String value = "zombie-p" + p + "-r" + nextRecord++;
            zombieRecords.add(value);
            try {
                zombie.producer.beginTransaction();
                zombie.producer.send(new ProducerRecord<>(TOPIC, partition, null, value));
                zombie.producer.commitTransaction();
                fail("a zombie of tx-" + p + " committed a transaction after a newer instance started");
            } catch (RuntimeException expected) {
                // fenced: at beginTransaction (already known), at send, or at commit
            }
        }

        void finishAndCheck(List<Step> script) throws Exception {
            // Fence every leftover so that no transaction stays open and the last stable offset reaches the end.
            for (int p = 0; p < PRODUCERS; p++) {
                Instance last = current[p];
                current[p] = newInstance(p);
                if (last.open != null) {
                    last.open.outcome = last.open.outcome == Outcome.UNKNOWN ? Outcome.UNKNOWN : Outcome.ABORTED;
                }
                zombies.get(p).add(last);
            }
            Map<Integer, List<String>> read =
                    ReadCommitted.readAll(broker.broker().bootstrapServers(), TOPIC, PARTITIONS);
            String context = "script " + script;
            checkRecords(read, context);
            checkOffsets(read, context);
        }

        private void checkRecords(Map<Integer, List<String>> read, String context) {
            Map<String, Integer> seen = new HashMap<>();
            read.forEach((partition, values) -> values.forEach(v -> {
                Integer before = seen.put(v, partition);
                assertTrue(before == null, "record " + v + " read twice; " + context);
            }));
            for (String zombie : zombieRecords) {
                assertTrue(!seen.containsKey(zombie), "a fenced zombie's record " + zombie + " is visible; " + context);
            }
            int expectedTotal = 0;
            for (Txn txn : txns) {
                long visible = txn.records.values().stream()
                        .flatMap(List::stream)
                        .filter(seen::containsKey)
                        .count();
                switch (txn.outcome) {
                    case COMMITTED -> assertEquals(
                            txn.size(),
                            visible,
                            "committed transaction partly or not visible " + txn.records + "; " + context);
                    case ABORTED, OPEN -> assertEquals(
                            0, visible, "aborted transaction visible " + txn.records + "; " + context);
                    case UNKNOWN -> assertTrue(
                            visible == 0 || visible == txn.size(),
                            "transaction of unknown outcome partly visible (" + visible + " of " + txn.size() + ") "
                                    + txn.records + "; " + context);
                }
                if (visible > 0) {
                    expectedTotal += txn.size();
                    txn.records.forEach((partition, values) -> assertTrue(
                            values.stream().allMatch(v -> seen.get(v).equals(partition)),
                            "a record of " + txn.records + " is on the wrong partition; " + context));
                }
            }
            assertEquals(expectedTotal, seen.size(), "records read that no visible transaction sent; " + context);
            // Per producer and partition, records appear in the order they were sent (values count up).
            read.forEach((partition, values) -> {
                Map<String, Integer> lastByProducer = new HashMap<>();
                for (String v : values) {
                    String producer = v.substring(0, v.indexOf('-'));
                    int n = Integer.parseInt(v.substring(v.indexOf("-r") + 2));
                    Integer last = lastByProducer.put(producer, n);
                    assertTrue(
                            last == null || last < n,
                            "partition " + partition + " holds " + producer + "'s record " + n + " after " + last + "; "
                                    + context);
                }
            });
        }

        private void checkOffsets(Map<Integer, List<String>> read, String context) throws Exception {
            java.util.Set<String> visible = new java.util.HashSet<>();
            read.values().forEach(visible::addAll);
            try (Admin admin =
                    Admin.create(Map.of("bootstrap.servers", broker.broker().bootstrapServers()))) {
                for (int p = 0; p < PRODUCERS; p++) {
                    // The offsets of the producer's last visible transaction that carried some; a transaction
                    // whose offsets may or may not have joined it allows either.
                    java.util.Set<Long> expected = new java.util.HashSet<>();
                    expected.add(null);
                    for (Txn txn : txns) {
                        boolean txnVisible = txn.records.values().stream()
                                .flatMap(List::stream)
                                .anyMatch(visible::contains);
                        if (txn.producer == p && txn.offset != null && txnVisible) {
                            if (!txn.offsetUncertain) {
                                expected.clear();
                            }
                            expected.add(txn.offset);
                        }
                    }
                    Map<TopicPartition, OffsetAndMetadata> committed;
                    try {
                        committed = admin.listConsumerGroupOffsets("g-" + p).get(30, TimeUnit.SECONDS);
                    } catch (java.util.concurrent.ExecutionException e) {
                        committed = Map.of(); // the group never committed
                    }
                    OffsetAndMetadata actual = committed.get(new TopicPartition(OFFSETS_TOPIC, 0));
                    Long offset = actual == null ? null : actual.offset();
                    assertTrue(
                            expected.contains(offset),
                            "group g-" + p + " committed offset " + offset + ", but its last visible transactions sent "
                                    + expected + "; " + context);
                }
            }
        }

        @Override
        public void close() {
            for (Instance instance : current) {
                if (instance != null) {
                    instance.producer.close(Duration.ofSeconds(5));
                }
            }
            zombies.forEach(list -> list.forEach(z -> z.producer.close(Duration.ZERO)));
            broker.close();
        }
    }
}
