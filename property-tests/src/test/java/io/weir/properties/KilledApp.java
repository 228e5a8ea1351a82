package io.weir.properties;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.processor.internals.CrashPoints;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The application {@link ChildJvmKillTest} runs in a child JVM and kills with SIGKILL: {@link StreamsInstance}'s
 * topology on its own embedded broker in {@code <dir>/broker} (so a kill takes the broker down with it), over
 * {@value #RECORDS} input records the first run writes in one transaction. It commits after every poll of at most
 * 20 records and prints, for the parent to time its kill, {@code COMMITTED <n> CHANGELOG <records>} after each store
 * commit ({@code n} counts this run's commits, {@code records} the changelogs' end offsets summed), and once running
 * {@code RESTORED <replayed> CHANGELOG <records>}. When its store holds the whole input it prints {@code DONE}; with
 * {@code verify} it then compares the read_committed outputs and the store with a reference computed from the input
 * topic and prints {@code RESULT OK} or {@code RESULT MISMATCH ...}.
 */
public final class KilledApp {
    static final int RECORDS = 1_000;
    static final StreamsRun.Names NAMES = new StreamsRun.Names("killed", "numbers", "table", "chain", "agg", "join");

    private KilledApp() {}

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        boolean verify = args.length > 1 && args[1].equals("verify");
        AtomicInteger commits = new AtomicInteger();
        Admin[] admin = new Admin[1];
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, NAMES.applicationId());
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 0);
        props.put(StreamsConfig.CONSUMER_PREFIX + "max.poll.records", 20);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.PRODUCER_PREFIX + "linger.ms", 0);
        props.put(CrashPoints.HANDLER_CONFIG, (CrashPoints.Handler) (point, thread) -> {
            if (point.equals(CrashPoints.AFTER_STORE_COMMIT)) {
                System.out.println("COMMITTED " + commits.incrementAndGet() + " CHANGELOG " + changelog(admin[0]));
                System.out.flush();
            }
        });
        try (WeirStreams streams = new WeirStreams(StreamsInstance.topology(NAMES), props)) {
            String bootstrap = streams.bootstrapServers();
            admin[0] = Admin.create(Map.of("bootstrap.servers", bootstrap));
            writeInputOnce(admin[0], bootstrap);
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(120, TimeUnit.SECONDS)) {
                throw new AssertionError("the application did not start");
            }
            System.out.println("RESTORED " + streams.restoredRecords() + " CHANGELOG " + changelog(admin[0]));
            System.out.flush();
            Map<String, List<String>> input = readInput(bootstrap);
            Map<String, String> expected = new HashMap<>();
            input.forEach((k, values) -> expected.put(k, String.join(",", values) + ","));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
            Map<String, String> stored = query(streams);
            while (!expected.equals(stored) && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(5)); // a poll's backoff
                stored = query(streams);
            }
            System.out.println("DONE");
            System.out.flush();
            if (verify) {
                System.out.println(verify(bootstrap, input, expected, stored));
            }
            admin[0].close();
        }
    }

    private static String verify(
            String bootstrap,
            Map<String, List<String>> input,
            Map<String, String> expected,
            Map<String, String> stored) {
        Map<String, List<String>> chain = new HashMap<>();
        input.forEach((k, values) -> chain.put(
                k,
                values.stream().filter(v -> !v.endsWith("3")).map(v -> v + "!").toList()));
        chain.values().removeIf(List::isEmpty);
        Map<String, List<String>> chainOut = new HashMap<>();
        Map<String, String> aggOut = new HashMap<>();
        try (Consumer<String, String> reader = reader(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < StreamsRun.PARTITIONS; p++) {
                partitions.add(new TopicPartition(NAMES.outChain(), p));
                partitions.add(new TopicPartition(NAMES.outAgg(), p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Await.readAvailable(reader, r -> {
                if (r.topic().equals(NAMES.outChain())) {
                    chainOut.computeIfAbsent(r.key(), k -> new ArrayList<>()).add(r.value());
                } else {
                    aggOut.put(r.key(), r.value());
                }
            });
        }
        boolean ok = chain.equals(chainOut) && expected.equals(aggOut) && expected.equals(stored);
        return ok
                ? "RESULT OK"
                : "RESULT MISMATCH chain " + chainOut + " expected " + chain + "; aggregates " + aggOut + " store "
                        + stored + " expected " + expected;
    }

    private static Map<String, String> query(WeirStreams streams) {
        try {
            ReadOnlyKeyValueStore<String, String> store =
                    streams.store(StoreQueryParameters.fromNameAndType("agg", QueryableStoreTypes.keyValueStore()));
            Map<String, String> rows = new HashMap<>();
            try (KeyValueIterator<String, String> all = store.all()) {
                all.forEachRemaining(kv -> rows.put(kv.key(), kv.value()));
            }
            return rows;
        } catch (RuntimeException e) {
            return Map.of(); // restoring or rebalancing
        }
    }

    private static long changelog(Admin admin) {
        try {
            return StreamsInstance.changelogRecords(admin, NAMES.applicationId());
        } catch (RuntimeException e) {
            return 0; // before the application created its changelogs
        }
    }

    /** The first run creates the topics and writes the input in one transaction; later runs find it there. */
    private static void writeInputOnce(Admin admin, String bootstrap) throws Exception {
        if (admin.listTopics().get(30, TimeUnit.SECONDS).contains(NAMES.in())) {
            return;
        }
        List<NewTopic> topics = new ArrayList<>();
        for (String topic : List.of(NAMES.in(), NAMES.tbl(), NAMES.outChain(), NAMES.outAgg(), NAMES.outJoin())) {
            topics.add(new NewTopic(topic, StreamsRun.PARTITIONS));
        }
        admin.createTopics(topics).all().get(30, TimeUnit.SECONDS);
        try (Producer<String, String> producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "transactional.id", "killed-input"),
                new StringSerializer(),
                new StringSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (int i = 0; i < RECORDS; i++) {
                producer.send(new ProducerRecord<>(NAMES.in(), "k" + (i % 17), "v" + i));
            }
            producer.commitTransaction();
        }
    }

    private static Map<String, List<String>> readInput(String bootstrap) {
        Map<String, List<String>> input = new HashMap<>();
        try (Consumer<String, String> reader = reader(bootstrap)) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (int p = 0; p < StreamsRun.PARTITIONS; p++) {
                partitions.add(new TopicPartition(NAMES.in(), p));
            }
            reader.assign(partitions);
            reader.seekToBeginning(partitions);
            Await.readAvailable(
                    reader, (ConsumerRecord<String, String> r) -> input.computeIfAbsent(r.key(), k -> new ArrayList<>())
                            .add(r.value()));
        }
        return input;
    }

    private static Consumer<String, String> reader(String bootstrap) {
        return Consumer.create(
                Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                new StringDeserializer(),
                new StringDeserializer());
    }
}
