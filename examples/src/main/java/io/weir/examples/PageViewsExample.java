package io.weir.examples;

import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.KeyValue;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.WindowStoreIterator;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * A windowed aggregation queried in place: page views per user per one-minute tumbling window, counted by
 * {@link WeirStreams} on its embedded broker ({@code at_least_once}) into the window store {@code views-per-minute},
 * then read through interactive queries ({@code QueryableStoreTypes.windowStore()}): one user's windows over a time
 * range ({@code fetch(key, from, to)}) and every user's ({@code fetchAll(from, to)}).
 *
 * <p>The input is {@value #VIEWS} seeded page views by {@value #USERS} users, keyed by user, spread evenly over
 * {@value #MINUTES} minutes that end a few minutes before now (a broker keeps records by their timestamps, so they
 * must be recent), written in timestamp order. Run it with
 * {@code mvn -B -q -DskipTests -Pexample verify -Dexample.main=io.weir.examples.PageViewsExample}; an optional
 * argument names the state directory (default: a fresh temporary one, removed at the end).
 */
public final class PageViewsExample {
    static final int VIEWS = 3_000;
    static final int USERS = 20;
    static final int MINUTES = 10;
    static final String TOPIC = "page-views";
    static final String STORE = "views-per-minute";
    static final String FOLLOWED_USER = "user-07";
    static final Duration WINDOW = Duration.ofMinutes(1);
    private static final long SEED = 20_261_207L;
    private static final DateTimeFormatter CLOCK =
            DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);

    private PageViewsExample() {}

    /** A page view: who, which page, when (epoch milliseconds). */
    record PageView(String user, String page, long timestamp) {}

    /** What the queries returned: one user's windows (start to count), and every window (user@start to count). */
    record Queried(Map<Long, Long> followedUser, Map<String, Long> all) {}

    /**
     * The topology: views keyed by user, counted per user and one-minute window. The store keeps its windows for an
     * hour (a window store's retention is by default its window plus grace, after which a window is gone from
     * queries too).
     */
    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(TOPIC, Consumed.with(Serdes.String(), Serdes.String()))
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(WINDOW))
                .count(Materialized.<String, Long, StateStore>as(STORE).withRetention(Duration.ofHours(1)));
        return builder.build();
    }

    /** The views: a seeded user and page each, timestamps {@code base + i * MINUTES min / VIEWS}. */
    static List<PageView> views(long base) {
        Random random = new Random(SEED);
        List<PageView> views = new ArrayList<>(VIEWS);
        for (int i = 0; i < VIEWS; i++) {
            String user = String.format("user-%02d", random.nextInt(USERS));
            String page = "/page/" + random.nextInt(50);
            views.add(new PageView(user, page, base + i * WINDOW.toMillis() * MINUTES / VIEWS));
        }
        return views;
    }

    /** A minute boundary {@code MINUTES + 5} minutes before now: the first view's time. */
    static long recentBase() {
        long minute = WINDOW.toMillis();
        long now = System.currentTimeMillis();
        return now - now % minute - (MINUTES + 5) * minute;
    }

    public static void main(String[] args) throws Exception {
        StateDirs.StateDir stateDir = StateDirs.StateDir.givenOr(args.length > 0 ? args[0] : null, "weir-page-views-");
        int status;
        try {
            status = run(stateDir.path(), recentBase(), System.out) == null ? 1 : 0;
        } finally {
            stateDir.release();
        }
        System.exit(status);
    }

    /**
     * Counts the views of {@link #views(long)}, queries the store, prints what it found and returns it (null if the
     * store never accounted for every view within 30 s).
     */
    static Queried run(Path stateDir, long base, PrintStream out) throws Exception {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "page-views");
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()); // no bootstrap.servers: embedded broker
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.AT_LEAST_ONCE);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 100);
        List<PageView> views = views(base);
        long last = base + (MINUTES - 1) * WINDOW.toMillis(); // the start of the last window
        try (WeirStreams streams = new WeirStreams(topology(), props)) {
            Topics.createIfMissing(streams.bootstrapServers(), Map.of(TOPIC, 2));
            streams.start();
            try (Producer<String, String> producer = Producer.create(
                    Map.of("bootstrap.servers", streams.bootstrapServers()),
                    new StringSerializer(),
                    new StringSerializer())) {
                for (PageView view : views) {
                    producer.send(new ProducerRecord<>(TOPIC, null, view.timestamp(), view.user(), view.page()));
                }
            }
            ReadOnlyWindowStore<String, Long> store =
                    streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.windowStore()));
            Map<String, Long> all = awaitAll(store, base, last);
            if (all == null) {
                out.printf("FAILED: the store's windows did not add up to %d views within 30 s%n", VIEWS);
                return null;
            }
            Map<Long, Long> followed = new TreeMap<>();
            try (WindowStoreIterator<Long> windows = store.fetch(FOLLOWED_USER, base, last)) {
                windows.forEachRemaining(window -> followed.put(window.key(), window.value()));
            }
            print(out, base, last, followed, all);
            return new Queried(followed, all);
        }
    }

    /** Reads {@code fetchAll(from, to)} until its counts add up to every view, for at most 30 s; null if never. */
    private static Map<String, Long> awaitAll(ReadOnlyWindowStore<String, Long> store, long from, long to)
            throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            Map<String, Long> read = new LinkedHashMap<>();
            try (KeyValueIterator<Windowed<String>, Long> windows = store.fetchAll(from, to)) {
                while (windows.hasNext()) {
                    KeyValue<Windowed<String>, Long> window = windows.next();
                    read.put(window.key().key() + "@" + window.key().window().start(), window.value());
                }
            } catch (InvalidStateStoreException e) {
                // not queryable yet (the application is still rebalancing): read again
            }
            if (read.values().stream().mapToLong(Long::longValue).sum() == VIEWS) {
                return read;
            }
            Thread.sleep(20);
        }
        return null;
    }

    private static void print(PrintStream out, long from, long to, Map<Long, Long> followed, Map<String, Long> all) {
        out.printf(
                "%,d page views by %d users from %s to %s UTC, counted per user per 1-minute window into the store "
                        + "\"%s\"%n",
                VIEWS,
                USERS,
                CLOCK.format(Instant.ofEpochMilli(from)),
                CLOCK.format(Instant.ofEpochMilli(to + 60_000)),
                STORE);
        out.printf(
                "fetch(\"%s\", %s, %s), one user's windows:%n",
                FOLLOWED_USER, CLOCK.format(Instant.ofEpochMilli(from)), CLOCK.format(Instant.ofEpochMilli(to)));
        followed.forEach((start, count) -> out.printf(
                "  %s-%s  %3d views%n",
                CLOCK.format(Instant.ofEpochMilli(start)),
                CLOCK.format(Instant.ofEpochMilli(start + WINDOW.toMillis())),
                count));
        out.printf(
                "fetchAll(%s, %s), every user's windows, by window:%n",
                CLOCK.format(Instant.ofEpochMilli(from)), CLOCK.format(Instant.ofEpochMilli(to)));
        Map<Long, Map<String, Long>> byWindow = new TreeMap<>();
        all.forEach((userAtStart, count) -> {
            int at = userAtStart.lastIndexOf('@');
            byWindow.computeIfAbsent(Long.parseLong(userAtStart.substring(at + 1)), k -> new TreeMap<>())
                    .put(userAtStart.substring(0, at), count);
        });
        byWindow.forEach((start, users) -> {
            Map.Entry<String, Long> busiest = users.entrySet().stream()
                    .max(Map.Entry.<String, Long>comparingByValue()
                            .thenComparing(Map.Entry.comparingByKey(Comparator.reverseOrder())))
                    .orElseThrow();
            out.printf(
                    "  %s  %3d views by %2d users, busiest %s (%d)%n",
                    CLOCK.format(Instant.ofEpochMilli(start)),
                    users.values().stream().mapToLong(Long::longValue).sum(),
                    users.size(),
                    busiest.getKey(),
                    busiest.getValue());
        });
    }
}
