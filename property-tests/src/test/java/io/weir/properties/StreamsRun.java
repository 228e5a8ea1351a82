package io.weir.properties;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.common.utils.Utils;
import io.weir.streams.processor.internals.CrashPoints;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * The system under test of {@link StreamsProperties} and its reference. One application ({@link StreamsInstance}'s
 * topology) runs on the {@link FaultyBroker}; the chain writes input, updates the table, and crashes, restarts,
 * freezes and replaces the application's instance. The reference is a plain in-memory run over the same input: the
 * chain's outputs per key, the aggregate per key (the key's values in input order), the join per key (each value
 * with the table's row when it was written: a table update waits until the application has committed all earlier
 * input, so the reference's order is the application's).
 *
 * <p>Not thread-safe: one chain runs on the test thread.
 */
final class StreamsRun {
    static final int PARTITIONS = 2;
    private static final List<String> KEYS = List.of("a", "b", "c", "d", "e");
    private static final AtomicInteger TRIES = new AtomicInteger();

    record Names(String applicationId, String in, String tbl, String outChain, String outAgg, String outJoin) {
        List<String> outputs() {
            return List.of(outChain, outAgg, outJoin);
        }
    }

    record Input(String key, String value, String table) {}

    final FaultyBroker broker;
    private final Path root;
    private final Names names;
    private final Admin admin;
    private final Producer<String, String> producer;
    private final Consumer<String, String> reader;
    private StreamsInstance instance;
    private int instances;
    private int sequence;

    /** Reference: the input per partition in log order, and the table. */
    private final List<List<Input>> inputs = List.of(new ArrayList<>(), new ArrayList<>());

    private final Map<String, String> table = new HashMap<>();
    /** read_committed outputs so far, per topic and key. */
    private final Map<String, Map<String, List<String>>> seen = new HashMap<>();

    private final Map<String, Object> appProps;

    StreamsRun(FaultyBroker broker, Path root) {
        this(broker, root, Map.of());
    }

    /** With {@code appProps} added to every instance's settings. */
    StreamsRun(FaultyBroker broker, Path root, Map<String, Object> appProps) {
        this.broker = broker;
        this.appProps = appProps;
        this.root = root;
        String id = "s" + TRIES.incrementAndGet();
        names = new Names("app-" + id, "in-" + id, "tbl-" + id, "chain-" + id, "agg-" + id, "join-" + id);
        String bootstrap = broker.bootstrapServers();
        admin = Admin.create(Map.of("bootstrap.servers", bootstrap));
        try {
            admin.createTopics(Stream.of(names.in(), names.tbl(), names.outChain(), names.outAgg(), names.outJoin())
                            .map(t -> new NewTopic(t, PARTITIONS))
                            .toList())
                    .all()
                    .get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not create the topics of " + id, e);
        }
        producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "acks", "all", "linger.ms", 0),
                new StringSerializer(),
                new StringSerializer());
        reader = Consumer.create(
                Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                new StringDeserializer(),
                new StringDeserializer());
        List<TopicPartition> outputs = new ArrayList<>();
        for (String topic : names.outputs()) {
            seen.put(topic, new HashMap<>());
            for (int p = 0; p < PARTITIONS; p++) {
                outputs.add(new TopicPartition(topic, p));
            }
        }
        reader.assign(outputs);
        reader.seekToBeginning(outputs);
        instance = newInstance(nextDir(), 0);
        instance.awaitRunning();
    }

    private Path nextDir() {
        return root.resolve(names.applicationId() + "-" + (++instances));
    }

    private StreamsInstance newInstance(Path dir, long changelogAtStoreCommit) {
        return new StreamsInstance(names, broker.bootstrapServers(), dir, admin, changelogAtStoreCommit, appProps);
    }

    static int partition(String key) {
        return Utils.toPositive(Utils.murmur2(key.getBytes(StandardCharsets.UTF_8))) % PARTITIONS;
    }

    /** Writes {@code keys.size()} input records, one per key given, each acknowledged before the next. */
    void input(List<Integer> keys) {
        for (int k : keys) {
            String key = KEYS.get(k);
            String value = "v" + (sequence++);
            send(names.in(), key, value);
            inputs.get(partition(key)).add(new Input(key, value, table.get(key)));
        }
    }

    private void send(String topic, String key, String value) {
        try {
            producer.send(new ProducerRecord<>(topic, key, value)).get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            throw new AssertionError("could not write " + key + "=" + value + " to " + topic, e);
        }
    }

    /** Changes the table's row of {@code key} once every earlier input is committed, and waits until it is. */
    void updateTable(int k) {
        String key = KEYS.get(k);
        String value = "t" + (sequence++);
        awaitCondition(() -> referenceAggregates().equals(instance.queryAgg()), "the application to commit all input");
        send(names.tbl(), key, value);
        table.put(key, value);
        awaitCondition(
                () -> {
                    Map<String, String> rows = instance.query("tbl");
                    return rows != null && value.equals(rows.get(key));
                },
                "the table update " + key + "=" + value + " to be committed");
    }

    /** Halts the instance at {@code point} as a kill would (input makes it commit), and starts one on its files. */
    void crash(String point) {
        instance.haltAt(point);
        input(List.of(0, 1));
        instance.awaitStopped();
        assertEquals(point, instance.haltedAt(), "where the instance halted");
        Faults.count(
                switch (point) {
                    case CrashPoints.BEFORE_BROKER_COMMIT -> Faults.Kind.APP_CRASH_BEFORE_BROKER_COMMIT;
                    case CrashPoints.AFTER_BROKER_COMMIT -> Faults.Kind.APP_CRASH_AFTER_BROKER_COMMIT;
                    default -> Faults.Kind.APP_CRASH_AFTER_STORE_COMMIT;
                });
        restartOnSameDir();
    }

    /** Closes the instance cleanly and starts one on its files. */
    void cleanRestart() {
        Faults.count(Faults.Kind.APP_CLEAN_RESTART);
        restartOnSameDir();
    }

    /**
     * Starts a new instance on the old one's {@code state.dir}: its stores restore from their checkpoints, replaying no
     * more than the changelogs got since the last store commit.
     */
    private void restartOnSameDir() {
        StreamsInstance old = instance;
        old.close();
        long bound = changelogRecords() - old.changelogAtStoreCommit();
        instance = newInstance(old.stateDir, old.changelogAtStoreCommit());
        instance.awaitRunning();
        long restored = instance.restoredRecords();
        assertTrue(
                restored <= bound,
                "the restart on " + old.stateDir + " replayed " + restored + " changelog records; only " + bound
                        + " were written since the last store commit");
    }

    /**
     * A zombie: the instance freezes before a broker commit; a new one starts on a copy of its files (the same
     * process id, so the same transactional.id and group.instance.id) and takes over; the old one then resumes and
     * must not get its commit through.
     */
    void zombie() {
        StreamsInstance old = instance;
        old.freezeBeforeBrokerCommit();
        input(List.of(2, 3));
        old.awaitFrozen();
        Path copy = nextDir();
        copyFiles(old.stateDir, copy);
        instance = newInstance(copy, old.changelogAtStoreCommit());
        instance.awaitRunning();
        old.resume();
        old.awaitStopped();
        old.close();
        Faults.count(Faults.Kind.APP_ZOMBIE);
        assertFalse(old.zombieCommitted(), "the zombie committed after a new instance took over");
    }

    /** Restarts the broker while the instance is frozen before a broker commit, and writes input meanwhile. */
    void restartBrokerDuringCommit(boolean crash, List<Integer> keys) {
        instance.freezeBeforeBrokerCommit();
        input(List.of(0));
        instance.awaitFrozen();
        broker.restart(crash);
        input(keys);
        instance.thaw();
    }

    private static void copyFiles(Path from, Path to) {
        try (Stream<Path> files = Files.walk(from)) {
            for (Path file : files.toList()) {
                Path target = to.resolve(from.relativize(file).toString());
                if (Files.isDirectory(file)) {
                    Files.createDirectories(target);
                } else if (!file.getFileName().toString().equals("lock.mdb")) {
                    Files.copy(file, target);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private long changelogRecords() {
        return StreamsInstance.changelogRecords(admin, names.applicationId());
    }

    // ---- the reference ----------------------------------------------------------------------------------------

    private Map<String, String> referenceAggregates() {
        Map<String, String> agg = new HashMap<>();
        for (List<Input> partition : inputs) {
            for (Input in : partition) {
                agg.merge(in.key(), in.value() + ",", String::concat);
            }
        }
        return agg;
    }

    private Map<String, List<String>> referenceChain() {
        Map<String, List<String>> out = new HashMap<>();
        for (List<Input> partition : inputs) {
            for (Input in : partition) {
                if (!in.value().endsWith("3")) {
                    out.computeIfAbsent(in.key(), k -> new ArrayList<>()).add(in.value() + "!");
                }
            }
        }
        return out;
    }

    private Map<String, List<String>> referenceJoin() {
        Map<String, List<String>> out = new HashMap<>();
        for (List<Input> partition : inputs) {
            for (Input in : partition) {
                if (in.table() != null) {
                    out.computeIfAbsent(in.key(), k -> new ArrayList<>()).add(in.value() + "@" + in.table());
                }
            }
        }
        return out;
    }

    // ---- invariants -------------------------------------------------------------------------------------------

    /**
     * A query sees whole commits: each partition's rows of the aggregation store are the aggregates of a prefix of
     * that partition's input (a partial commit would show some keys of a commit and not others; an aborted or
     * repeated write would show a value no prefix gives).
     */
    void checkQueriesSeeWholeCommits() {
        Map<String, String> rows = instance.queryAgg();
        if (rows == null) {
            return; // restoring or moving: nothing to query
        }
        for (int p = 0; p < PARTITIONS; p++) {
            Map<String, String> actual = new LinkedHashMap<>();
            for (Map.Entry<String, String> row : rows.entrySet()) {
                if (partition(row.getKey()) == p) {
                    actual.put(row.getKey(), row.getValue());
                }
            }
            Map<String, String> prefix = new HashMap<>();
            boolean found = prefix.equals(actual);
            for (Input in : inputs.get(p)) {
                if (found) {
                    break;
                }
                prefix.merge(in.key(), in.value() + ",", String::concat);
                found = prefix.equals(actual);
            }
            assertTrue(
                    found,
                    "the aggregation store's rows of partition " + p + " are " + actual
                            + ", the aggregates of no prefix of its input " + inputs.get(p));
        }
    }

    /**
     * read_committed outputs so far: each key's chain and join outputs a prefix of the reference's, in order and
     * once; each aggregate an ever longer prefix of the key's reference aggregate.
     */
    void checkOutputsSoFar() {
        Await.readAvailable(reader, this::take);
        Map<String, String> aggregates = referenceAggregates();
        seen.get(names.outAgg()).forEach((key, values) -> {
            String previous = "";
            for (String value : values) {
                String full = aggregates.getOrDefault(key, "");
                assertTrue(
                        value.length() > previous.length() && full.startsWith(value),
                        "aggregate outputs of " + key + " " + values + " are not growing prefixes of " + full);
                previous = value;
            }
        });
        checkPrefixes(names.outChain(), referenceChain());
        checkPrefixes(names.outJoin(), referenceJoin());
    }

    private void take(ConsumerRecord<String, String> r) {
        seen.get(r.topic()).computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
    }

    private void checkPrefixes(String topic, Map<String, List<String>> reference) {
        seen.get(topic).forEach((key, values) -> {
            List<String> all = reference.getOrDefault(key, List.of());
            assertTrue(
                    values.size() <= all.size() && all.subList(0, values.size()).equals(values),
                    "read_committed " + topic + " for " + key + " shows " + values + "; the reference: " + all);
        });
    }

    /** At the end: the store and every output equal the reference, once the application caught up. */
    void checkFinal() {
        awaitCondition(
                () -> referenceAggregates().equals(instance.queryAgg()),
                "the aggregation store to match the reference");
        Map<String, List<String>> chain = referenceChain();
        Map<String, List<String>> join = referenceJoin();
        Map<String, String> aggregates = referenceAggregates();
        awaitCondition(
                () -> {
                    Await.readAvailable(reader, this::take);
                    return seen.get(names.outChain()).equals(chain)
                            && seen.get(names.outJoin()).equals(join)
                            && lastValues(seen.get(names.outAgg())).equals(aggregates);
                },
                "the outputs to match the reference");
        checkOutputsSoFar();
    }

    private static Map<String, String> lastValues(Map<String, List<String>> values) {
        Map<String, String> last = new HashMap<>();
        values.forEach((k, v) -> last.put(k, v.get(v.size() - 1)));
        return last;
    }

    private void awaitCondition(BooleanSupplier done, String what) {
        Await.until(done, what, () -> this + ", store " + instance.queryAgg() + ", outputs " + seen);
    }

    void close() {
        broker.disarm();
        instance.close();
        producer.close(Duration.ZERO);
        reader.close(Duration.ZERO);
        try {
            List<String> topics = new ArrayList<>(List.of(names.in(), names.tbl()));
            topics.addAll(names.outputs());
            for (String store : StreamsInstance.STORES) {
                topics.add(names.applicationId() + "-" + store + "-changelog");
            }
            admin.deleteTopics(topics).all().get(30, TimeUnit.SECONDS);
        } catch (Exception e) {
            // a failed try may leave its topics; the next uses new names
        } finally {
            admin.close();
        }
    }

    @Override
    public String toString() {
        return names.applicationId() + "{inputs=" + inputs + ", table=" + table + "}";
    }
}
