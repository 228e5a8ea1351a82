package io.weir.streams.integration;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.LongSerializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.KeyValue;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.Suppressed;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import io.weir.streams.state.ReadOnlyWindowStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The application {@link ExactlyOnceCrashTest} runs in a child JVM, on its own embedded broker in {@code <dir>}: each
 * run first appends {@value #RECORDS} new numbers in one transaction; then it sums the numbers per key into the
 * store {@code sums} and copies each one to {@code copies}, under exactly_once_v2, committing after every poll of
 * at most 100 records, so every commit carries changelog records. It prints
 * {@code RESTORED <replayed> OF <changelog size>} once RUNNING, {@code COPIES <read> OF <inputs>} as committed
 * copies arrive, and, if it gets to the end of its input without
 * being halted, checks the read_committed outputs and the store against the input topic and prints
 * {@code RESULT OK} or {@code RESULT MISMATCH ...}. A windowed sum per key over {@value #WINDOW_MS} ms windows
 * ({@code window-sums}, queried as a window store) must equal a recomputation from the input's timestamps too. The
 * same sums over windows without grace, suppressed until each window closes ({@code final-sums}, through the
 * changelogged buffer store {@code final-store}), must hold each closed window's sum exactly once: every window that
 * ends at or before the newest timestamp of its partition, none twice, none else.
 */
public final class CrashingApp {
    static final int RECORDS = 1_000;
    static final int KEYS = 40;
    static final long WINDOW_MS = 50;

    private CrashingApp() {}

    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        var numbers = builder.stream("numbers", Consumed.with(Serdes.String(), Serdes.Long()));
        numbers.mapValues(v -> v).to("copies", Produced.with(Serdes.String(), Serdes.Long()));
        numbers.groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                .reduce(Long::sum, Materialized.as("sums"))
                .toStream()
                .to("sums-out", Produced.with(Serdes.String(), Serdes.Long()));
        // Windows short enough that commits (and so crashes) fall inside them; a grace long enough that no record
        // is late, so the store must equal a recomputation from the input's timestamps.
        numbers.groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofMillis(WINDOW_MS), Duration.ofHours(1)))
                .reduce(Long::sum, Materialized.as("window-sums"));
        // Records of a partition come in timestamp order (one producer), so with no grace none is late, and every
        // window closes once a later one of its partition begins.
        numbers.groupByKey(Grouped.with(Serdes.String(), Serdes.Long()))
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofMillis(WINDOW_MS)))
                .reduce(Long::sum, Materialized.as("final-window-sums"))
                .suppress(Suppressed.untilWindowCloses(Suppressed.BufferConfig.unbounded())
                        .withName("final"))
                .toStream()
                .map((w, v) -> KeyValue.pair(w.key() + "@" + w.window().start(), v))
                .to("final-sums", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "crashing");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 0);
        props.put(StreamsConfig.CONSUMER_PREFIX + "max.poll.records", 100);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.LongSerde.class);
        AtomicLong replayed = new AtomicLong();
        try (WeirStreams streams = new WeirStreams(topology(), props)) {
            String bootstrap = streams.bootstrapServers();
            appendInput(bootstrap);
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreEnd(TopicPartition partition, String store, long total) {
                    replayed.addAndGet(total);
                }
            });
            Object running = new Object();
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    synchronized (running) {
                        running.notifyAll();
                    }
                }
            });
            streams.start();
            synchronized (running) {
                while (streams.state() != WeirStreams.State.RUNNING) {
                    running.wait(100);
                }
            }
            System.out.println("RESTORED " + replayed.get() + " OF " + changelogSize(bootstrap));
            System.out.flush();
            Map<String, Long> expected = new HashMap<>();
            Map<String, Long> expectedWindows = new HashMap<>();
            Map<String, Long> expectedFinals = new HashMap<>();
            long inputs = readInput(bootstrap, expected, expectedWindows, expectedFinals);
            Map<String, Long> finals = new HashMap<>();
            Map<String, Integer> finalsSeen = new HashMap<>();
            Map<String, Long> sums = new HashMap<>();
            long copies = 0;
            Map<Long, Integer> copiesSeen = new HashMap<>();
            try (Consumer<String, Long> reader = reader(bootstrap)) {
                reader.subscribe(List.of("sums-out", "copies", "final-sums"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while ((!sums.equals(expected) || copies < inputs || !finals.equals(expectedFinals))
                        && System.nanoTime() < deadline) {
                    long before = copies;
                    for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(100))) {
                        if (r.topic().equals("sums-out")) {
                            sums.put(r.key(), r.value());
                        } else if (r.topic().equals("final-sums")) {
                            finals.put(r.key(), r.value());
                            finalsSeen.merge(r.key(), 1, Integer::sum);
                        } else {
                            copies++;
                            copiesSeen.merge(r.value(), 1, Integer::sum);
                        }
                    }
                    if (copies != before) {
                        System.out.println("COPIES " + copies + " OF " + inputs); // progress, for a parent's kill
                        System.out.flush();
                    }
                }
            }
            ReadOnlyKeyValueStore<String, Long> store =
                    streams.store(StoreQueryParameters.fromNameAndType("sums", QueryableStoreTypes.keyValueStore()));
            Map<String, Long> queried = new HashMap<>();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            do {
                queried.clear();
                try (KeyValueIterator<String, Long> all = store.all()) {
                    all.forEachRemaining(kv -> queried.put(kv.key(), kv.value()));
                }
            } while (!queried.equals(expected) && System.nanoTime() < deadline);
            ReadOnlyWindowStore<String, Long> windows = streams.store(
                    StoreQueryParameters.fromNameAndType("window-sums", QueryableStoreTypes.windowStore()));
            Map<String, Long> windowed = new HashMap<>();
            do {
                windowed.clear();
                try (KeyValueIterator<Windowed<String>, Long> all = windows.all()) {
                    all.forEachRemaining(kv -> windowed.put(
                            kv.key().key() + "@" + kv.key().window().start(), kv.value()));
                }
            } while (!windowed.equals(expectedWindows) && System.nanoTime() < deadline);
            boolean ok = sums.equals(expected)
                    && copies == inputs
                    && copiesSeen.size() == inputs
                    && queried.equals(expected)
                    && windowed.equals(expectedWindows)
                    && finals.equals(expectedFinals)
                    && finalsSeen.values().stream().allMatch(n -> n == 1);
            System.out.println("WINDOWS " + windowed.size() + " EQUAL " + windowed.equals(expectedWindows));
            System.out.println("FINALS " + finals.size() + " EQUAL " + finals.equals(expectedFinals) + " REPEATED "
                    + finalsSeen.values().stream().filter(n -> n > 1).count());
            System.out.println(
                    ok
                            ? "RESULT OK"
                            : "RESULT MISMATCH copies=" + copies + " distinct=" + copiesSeen.size() + " sums=" + sums
                                    + " store=" + queried + " expected=" + expected + " windows=" + windowed
                                    + " expected windows=" + expectedWindows + " finals=" + finals
                                    + " expected finals=" + expectedFinals + " finals seen=" + finalsSeen);
        }
    }

    /**
     * Reads the input topic to its end: sums per key into {@code sums}, per key and window start into
     * {@code windows}, and into {@code finals} those of the windows that have closed, ending at or before the newest
     * timestamp of their partition; the number of records.
     */
    private static long readInput(
            String bootstrap, Map<String, Long> sums, Map<String, Long> windows, Map<String, Long> finals) {
        long count = 0;
        Map<Integer, Long> newest = new HashMap<>();
        Map<String, Integer> partitionOf = new HashMap<>();
        try (Consumer<String, Long> c = reader(bootstrap)) {
            List<TopicPartition> partitions = List.of(
                    new TopicPartition("numbers", 0),
                    new TopicPartition("numbers", 1),
                    new TopicPartition("numbers", 2));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(100))) {
                    sums.merge(r.key(), r.value(), Long::sum);
                    windows.merge(r.key() + "@" + (r.timestamp() - r.timestamp() % WINDOW_MS), r.value(), Long::sum);
                    newest.merge(r.partition(), r.timestamp(), Math::max);
                    partitionOf.put(r.key(), r.partition());
                    count++;
                }
            }
        }
        windows.forEach((window, sum) -> {
            long start = Long.parseLong(window.substring(window.indexOf('@') + 1));
            int partition = partitionOf.get(window.substring(0, window.indexOf('@')));
            if (start + WINDOW_MS <= newest.get(partition)) {
                finals.put(window, sum);
            }
        });
        return count;
    }

    /** Appends {@value #RECORDS} numbers not written before, keyed by their remainder, in one transaction. */
    private static void appendInput(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().get(30, TimeUnit.SECONDS).contains("numbers")) {
                admin.createTopics(List.of(
                                new NewTopic("numbers", 3),
                                new NewTopic("copies", 3),
                                new NewTopic("sums-out", 3),
                                new NewTopic("final-sums", 3)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
        long first = readInput(bootstrap, new HashMap<>(), new HashMap<>(), new HashMap<>());
        try (Producer<String, Long> producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "transactional.id", "crashing-input"),
                new StringSerializer(),
                new LongSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            for (long v = first; v < first + RECORDS; v++) {
                producer.send(new ProducerRecord<>("numbers", "key-" + (v % KEYS), v));
            }
            producer.commitTransaction();
        }
    }

    private static long changelogSize(String bootstrap) {
        try (Consumer<String, Long> c = reader(bootstrap)) {
            List<TopicPartition> partitions = new java.util.ArrayList<>();
            for (String store : List.of("sums", "window-sums", "final-window-sums", "final-store")) {
                for (int p = 0; p < 3; p++) {
                    partitions.add(new TopicPartition("crashing-" + store + "-changelog", p));
                }
            }
            return c.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static Consumer<String, Long> reader(String bootstrap) {
        return Consumer.create(
                Map.of(
                        "bootstrap.servers",
                        bootstrap,
                        "isolation.level",
                        "read_committed",
                        "auto.offset.reset",
                        "earliest",
                        "group.id",
                        "checker-" + System.nanoTime()),
                new StringDeserializer(),
                new LongDeserializer());
    }
}
