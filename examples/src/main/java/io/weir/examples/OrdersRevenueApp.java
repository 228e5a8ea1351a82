package io.weir.examples;

import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.KeyValue;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The flagship example's application, run by {@link OrdersRevenueExample} in a child JVM (and runnable alone:
 * {@code OrdersRevenueApp <state-dir> [orders]}): revenue per customer from a stream of orders, exactly once, on the
 * embedded broker it opens in {@code <state-dir>/broker}.
 *
 * <p>Every run does the same: open the application (and so the broker), create the topics if missing, start, write
 * the orders not written yet ({@link OrderFeed}, paced by the store), and wait until the {@code revenue} store
 * accounts for every order. Then it checks its result three ways and exits 0 only if they agree: the store through
 * interactive queries, the revenue recomputed from the {@code orders} topic, and the latest value per customer of the
 * {@code revenue} topic, both topics read {@code read_committed}. A run halted midway simply runs again.
 *
 * <p>Lines starting with {@code #} are for the parent process: {@code #progress <fraction>} as the feed advances, and
 * {@code #stats key=value...} once it is RUNNING.
 */
public final class OrdersRevenueApp {
    static final String APPLICATION_ID = "orders-revenue";
    static final String ORDERS = "orders";
    static final String REVENUE = "revenue";
    static final String STORE = "revenue";
    static final int PARTITIONS = 4;

    /** How long the wait for the result may see the store stand still before the run is declared stuck. */
    private static final Duration STALL = Duration.ofSeconds(30);

    private OrdersRevenueApp() {}

    /** The topology: orders keyed by order id, regrouped by customer, their cents summed into the "revenue" store. */
    public static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(ORDERS, Consumed.with(Serdes.String(), new OrderSerde()))
                .groupBy(
                        (orderId, order) -> order.customer(),
                        Grouped.with("orders-by-customer", Serdes.String(), new OrderSerde()))
                .aggregate(
                        () -> 0L,
                        (customer, order, cents) -> cents + order.amountCents(),
                        Materialized.<String, Long, StateStore>as(STORE).withValueSerde(Serdes.Long()))
                .toStream()
                .to(REVENUE, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    static Properties config(Path stateDir, long commitIntervalMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APPLICATION_ID);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString()); // no bootstrap.servers: embedded broker
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        if (commitIntervalMs >= 0) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        }
        return props;
    }

    /** {@code <state-dir> [orders] [commit.interval.ms]}; exits 0 if the result checks out. */
    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: OrdersRevenueApp <state-dir> [orders] [commit.interval.ms]");
            System.exit(2);
        }
        long orders = args.length > 1 ? Long.parseLong(args[1]) : OrdersRevenueExample.DEFAULT_ORDERS;
        long commitIntervalMs = args.length > 2 ? Long.parseLong(args[2]) : -1;
        int status = run(Path.of(args[0]), orders, commitIntervalMs, System.out);
        System.out.flush();
        System.exit(status);
    }

    static int run(Path stateDir, long orders, long commitIntervalMs, PrintStream out) throws Exception {
        long opening = System.nanoTime();
        try (WeirStreams streams = new WeirStreams(topology(), config(stateDir, commitIntervalMs))) {
            long brokerOpenMs = millisSince(opening);
            String bootstrap = streams.bootstrapServers();
            Topics.createIfMissing(bootstrap, Map.of(ORDERS, PARTITIONS, REVENUE, PARTITIONS));

            RestoreReport restores = new RestoreReport();
            streams.setGlobalStateRestoreListener(restores);
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            long starting = System.nanoTime();
            streams.start();
            if (!running.await(60, TimeUnit.SECONDS)) {
                out.printf("FAILED: not RUNNING 60 s after start(); it is %s%n", streams.state());
                return 1;
            }
            long runningMs = millisSince(starting);
            reportRestore(bootstrap, restores, brokerOpenMs, runningMs, out);

            Revenue revenue = new Revenue(
                    streams,
                    streams.store(StoreQueryParameters.fromNameAndType(STORE, QueryableStoreTypes.keyValueStore())),
                    out);
            OrderFeed.Written written;
            try {
                written = new OrderFeed(bootstrap, ORDERS, orders).writeRemaining(revenue::awaitAtLeast);
            } catch (IllegalStateException e) {
                out.println("FAILED: " + e.getMessage());
                return 1;
            }
            Map<String, Long> recomputed = new HashMap<>();
            Topics.readCommitted(
                    bootstrap,
                    Topics.committedEnds(bootstrap, ORDERS),
                    new StringDeserializer(),
                    new OrderSerde().deserializer(),
                    (orderId, order) -> recomputed.merge(order.customer(), order.amountCents(), Long::sum));
            Map<String, Long> queried = revenue.awaitAll(recomputed);
            out.printf(
                    "%,d orders were in the topic, %,d written now (%d transactions); all in the store %.2f s after "
                            + "start()%n",
                    written.alreadyThere(), written.written(), written.transactions(), millisSince(starting) / 1000.0);
            Map<String, Long> output = new HashMap<>();
            Topics.readCommitted(
                    bootstrap,
                    Topics.committedEnds(bootstrap, REVENUE),
                    new StringDeserializer(),
                    new LongDeserializer(),
                    output::put);
            return compare(queried, recomputed, output, out);
        }
    }

    /**
     * Prints, per store, how many changelog records its restore replayed, against how many its changelog held: a store
     * restores from its checkpoint, so after a crash it replays only what its last commit missed.
     */
    private static void reportRestore(
            String bootstrap, RestoreReport restores, long brokerOpenMs, long runningMs, PrintStream out) {
        out.printf("RUNNING %d ms after start() (broker open in %d ms)%n", runningMs, brokerOpenMs);
        long replayedTotal = 0;
        long changelogTotal = 0;
        for (String store : restores.stores()) {
            Map<TopicPartition, Long> ends = restores.changelogEnds(store);
            if (ends.values().stream().allMatch(end -> end == 0)) {
                continue; // a new store: nothing to restore
            }
            long changelog = Topics.readCommitted(
                    bootstrap, ends, new ByteArrayDeserializer(), new ByteArrayDeserializer(), (k, v) -> {});
            Map<TopicPartition, Long> replayed = restores.replayed(store);
            long sum = replayed.values().stream().mapToLong(Long::longValue).sum();
            out.printf(
                    "store %s restored from its checkpoint: replayed %,d of the %,d records in its changelog "
                            + "(by partition: %s)%n",
                    store,
                    sum,
                    changelog,
                    replayed.values().stream().map(String::valueOf).collect(Collectors.joining(" ")));
            replayedTotal += sum;
            changelogTotal += changelog;
        }
        out.printf(
                "#stats brokerOpenMs=%d runningMs=%d replayed=%d changelog=%d%n",
                brokerOpenMs, runningMs, replayedTotal, changelogTotal);
    }

    /** The "revenue" store as interactive queries see it, read until it holds what is expected. */
    private static final class Revenue {
        private final WeirStreams streams;
        private final ReadOnlyKeyValueStore<String, Long> store;
        private final PrintStream out;

        Revenue(WeirStreams streams, ReadOnlyKeyValueStore<String, Long> store, PrintStream out) {
            this.streams = streams;
            this.store = store;
            this.out = out;
        }

        /**
         * Returns once the store's total reaches {@code cents}; reports {@code progress} to the parent.
         *
         * @throws IllegalStateException if the application stops, or the store stands still for {@link #STALL}
         */
        void awaitAtLeast(long cents, double progress) throws InterruptedException {
            await(read -> total(read) >= cents, "a total of " + cents + " cents");
            out.printf("#progress %.3f%n", progress);
        }

        /** Returns the store's contents once they account for every order, or as they stand if they never do. */
        Map<String, Long> awaitAll(Map<String, Long> expected) throws InterruptedException {
            long cents = total(expected);
            try {
                return await(
                        read -> total(read) == cents && read.size() == expected.size(),
                        expected.size() + " customers and " + cents + " cents");
            } catch (IllegalStateException e) {
                out.println(e.getMessage());
                try {
                    return contents(store);
                } catch (InvalidStateStoreException notQueryable) {
                    return Map.of();
                }
            }
        }

        private Map<String, Long> await(Predicate<Map<String, Long>> done, String what) throws InterruptedException {
            long lastTotal = -1;
            long lastChange = System.nanoTime();
            while (streams.state().isRunningOrRebalancing()) {
                Map<String, Long> read;
                try {
                    read = contents(store);
                } catch (InvalidStateStoreException e) {
                    read = Map.of(); // restoring or moving in a rebalance: the view finds its partitions again after
                }
                if (done.test(read)) {
                    return read;
                }
                long total = total(read);
                if (total != lastTotal) {
                    lastTotal = total;
                    lastChange = System.nanoTime();
                } else if (System.nanoTime() - lastChange > STALL.toNanos()) {
                    throw new IllegalStateException("The revenue store stood still for " + STALL.toSeconds() + " s at "
                            + read.size() + " customers and " + total + " cents, waiting for " + what);
                }
                Thread.sleep(10);
            }
            throw new IllegalStateException(
                    "The application stopped (" + streams.state() + ") while waiting for " + what);
        }
    }

    private static Map<String, Long> contents(ReadOnlyKeyValueStore<String, Long> store) {
        Map<String, Long> out = new HashMap<>();
        try (KeyValueIterator<String, Long> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<String, Long> entry = all.next();
                out.put(entry.key(), entry.value());
            }
        }
        return out;
    }

    private static int compare(
            Map<String, Long> queried, Map<String, Long> recomputed, Map<String, Long> output, PrintStream out) {
        line(out, "revenue store, interactive query", queried);
        line(out, "recomputed from the orders topic", recomputed);
        line(out, "revenue topic, latest per customer", output);
        if (queried.equals(recomputed) && output.equals(recomputed)) {
            out.println("OK: the three agree for every customer (topics read read_committed)");
            return 0;
        }
        out.printf(
                "MISMATCH: the store differs from the recomputation for %d customers (%s), the revenue topic for %d%n",
                differences(queried, recomputed).size(),
                String.join(
                        ", ", differences(queried, recomputed).stream().limit(3).toList()),
                differences(output, recomputed).size());
        return 1;
    }

    private static void line(PrintStream out, String source, Map<String, Long> revenue) {
        long cents = total(revenue);
        out.printf("%-36s %,6d customers, $%,d.%02d%n", source + ":", revenue.size(), cents / 100, cents % 100);
    }

    /** The customers whose revenue in {@code actual} is not the expected one, as "customer actual/expected". */
    private static List<String> differences(Map<String, Long> actual, Map<String, Long> expected) {
        Set<String> customers = new TreeSet<>(expected.keySet());
        customers.addAll(actual.keySet());
        List<String> out = new ArrayList<>();
        for (String customer : customers) {
            if (!Objects.equals(actual.get(customer), expected.get(customer))) {
                out.add(customer + " " + actual.get(customer) + "/" + expected.get(customer));
            }
        }
        return out;
    }

    private static long total(Map<String, Long> revenue) {
        return revenue.values().stream().mapToLong(Long::longValue).sum();
    }

    private static long millisSince(long nanos) {
        return TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - nanos);
    }
}
