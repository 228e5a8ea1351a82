package io.weir.bench.streams;

import io.weir.clients.consumer.Consumer;
import io.weir.common.TopicPartition;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Restore rate of a store from scratch: a count application ({@code exactly_once_v2}, 100 ms commits) counts
 * {@code records} input records with as many distinct keys, so its store's changelog (4 partitions) holds
 * {@code records} records (8-character keys, 16-byte count-and-timestamp values) and commit markers; it is closed,
 * and each run then opens it again, calls {@code cleanUp()} (deleting every local store) and starts it. A run reports
 * {@code start()} → RUNNING, the records the {@link StateRestoreListener} was told were restored, and the restore
 * rate: those records over the time from the first {@code onRestoreStart} to the last {@code onRestoreEnd} (the
 * four partitions restore one after another on the one stream thread). Goal: ≥ 1M records/s.
 *
 * <pre>
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx2g \
 *   -cp benchmarks/target/benchmarks.jar io.weir.bench.streams.StreamsRestoreBenchmark [runs] [records]
 * </pre>
 * Defaults 5 and 1,000,000. The embedded broker is the application's own, reopened (after a clean close) by each
 * run's constructor, outside the timed window; its page cache is warm.
 */
public final class StreamsRestoreBenchmark {
    private static final String APPLICATION = "restore-bench";

    private StreamsRestoreBenchmark() {}

    public static void main(String[] args) throws Exception {
        CountWorkload.quietLogs();
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        Path dir = CountWorkload.tempDir("weir-restore-");
        try {
            fill(dir, records);
            List<Double> rates = new ArrayList<>();
            List<Double> toRunning = new ArrayList<>();
            for (int run = 1; run <= runs; run++) {
                double[] r = restoreOnce(dir, records, run);
                rates.add(r[0]);
                toRunning.add(r[1]);
            }
            CountWorkload.Spread rate = CountWorkload.Spread.of(rates);
            CountWorkload.Spread running = CountWorkload.Spread.of(toRunning);
            System.out.printf(
                    Locale.ROOT,
                    "restore of %,d changelog records, %d runs: median %,.0f records/s (%,.0f–%,.0f), goal ≥ 1,000,000;"
                            + " start→RUNNING median %.3f s (%.3f–%.3f)%n",
                    records,
                    runs,
                    rate.median(),
                    rate.min(),
                    rate.max(),
                    running.median(),
                    running.min(),
                    running.max());
        } finally {
            CountWorkload.delete(dir);
        }
    }

    private static Properties props(Path dir) {
        return CountWorkload.props(dir, APPLICATION, StreamsConfig.EXACTLY_ONCE_V2, 100L);
    }

    /** Counts {@code records} distinct keys once each, so the store's changelog holds one record per key. */
    private static void fill(Path dir, int records) throws Exception {
        AtomicLong processed = new AtomicLong();
        long start = System.nanoTime();
        try (WeirStreams streams = new WeirStreams(CountWorkload.topology(processed), props(dir))) {
            String bootstrap = streams.bootstrapServers();
            CountWorkload.createTopics(bootstrap, CountWorkload.INPUT, CountWorkload.OUTPUT);
            CountWorkload.produce(bootstrap, CountWorkload.keys(records), 0, records);
            try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, CountWorkload.OUTPUT)) {
                streams.start();
                CountWorkload.LatestCounts counts = new CountWorkload.LatestCounts();
                long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
                while (counts.add(reader.poll(Duration.ofMillis(100))) < records) {
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The fill did not finish: output sum " + counts.sum());
                    }
                }
            }
        }
        System.out.printf(
                Locale.ROOT,
                "filled: %,d keys counted once each in %.1f s; the changelog of store '%s' holds one record per key%n",
                records,
                (System.nanoTime() - start) / 1e9,
                CountWorkload.STORE);
    }

    /** @return restore records/s and seconds from start() to RUNNING */
    private static double[] restoreOnce(Path dir, int records, int run) throws Exception {
        AtomicLong restored = new AtomicLong();
        AtomicLong firstStart = new AtomicLong(-1);
        AtomicLong lastEnd = new AtomicLong(-1);
        long opening = System.nanoTime();
        try (WeirStreams streams = new WeirStreams(CountWorkload.topology(new AtomicLong()), props(dir))) {
            double opened = (System.nanoTime() - opening) / 1e9;
            streams.cleanUp();
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreStart(TopicPartition partition, String store, long from, long to) {
                    firstStart.compareAndSet(-1, System.nanoTime());
                }

                @Override
                public void onRestoreEnd(TopicPartition partition, String store, long total) {
                    restored.addAndGet(total);
                    lastEnd.set(System.nanoTime());
                }
            });
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            System.gc();
            long t0 = System.nanoTime();
            streams.start();
            if (!running.await(5, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Not RUNNING after 5 minutes; restored " + restored.get());
            }
            long t1 = System.nanoTime();
            ReadOnlyKeyValueStore<String, Long> store = streams.store(
                    StoreQueryParameters.fromNameAndType(CountWorkload.STORE, QueryableStoreTypes.keyValueStore()));
            String[] keys = CountWorkload.keys(records);
            boolean ok = Long.valueOf(1).equals(store.get(keys[0]))
                    && Long.valueOf(1).equals(store.get(keys[records - 1]));
            double seconds = (lastEnd.get() - firstStart.get()) / 1e9;
            double rate = restored.get() / seconds;
            System.out.printf(
                    Locale.ROOT,
                    "run %d: constructor (broker open) %.3f s; start→RUNNING %.3f s; restored %,d records in %.3f s ="
                            + " %,.0f records/s%s%n",
                    run,
                    opened,
                    (t1 - t0) / 1e9,
                    restored.get(),
                    seconds,
                    rate,
                    restored.get() == records && ok ? "" : "  RESTORED STATE WRONG");
            System.out.println("  " + CountWorkload.machineLoad());
            return new double[] {rate, (t1 - t0) / 1e9};
        }
    }
}
