package io.weir.bench.streams;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.Histogram;

/**
 * Latencies of the count application ({@code exactly_once_v2}, {@code commit.interval.ms=100}, 10,000 keys, 4
 * partitions, embedded broker):
 * <ol>
 *   <li>interactive queries under load: {@code records} pre-loaded records are counted twice by two applications on
 *       the same broker, first with nobody querying (the baseline), then while a query thread calls
 *       {@code get} on {@code streams.store(...)} for random keys, {@code qps} times a second (0: back to back); it
 *       prints the p50 / p99 / p99.9 of {@code get} and the processing rate with queries ÷ without;</li>
 *   <li>end to end: with the application RUNNING on an empty topic, a producer ({@code acks=all}, {@code linger.ms=0})
 *       sends {@code rate} records a second to random keys for {@code seconds} seconds, and a {@code read_committed}
 *       reader of the output takes each record's latency as the time from just before its {@code send} to the poll
 *       that returned the first output count of its key that includes it (a count of n covers its key's first n
 *       records); the first 5 s are not counted.</li>
 * </ol>
 *
 * <pre>
 * java --add-opens java.base/java.nio=ALL-UNNAMED --add-opens java.base/sun.nio.ch=ALL-UNNAMED -Xmx2g \
 *   -cp benchmarks/target/benchmarks.jar io.weir.bench.streams.StreamsLatencyBenchmark [records] [qps] [rate] [seconds]
 * </pre>
 * Defaults 3,000,000, 10,000, 10,000 and 30.
 */
public final class StreamsLatencyBenchmark {
    private static final int KEYS = 10_000;
    private static final long WARMUP_NANOS = TimeUnit.SECONDS.toNanos(5);

    private StreamsLatencyBenchmark() {}

    public static void main(String[] args) throws Exception {
        CountWorkload.quietLogs();
        int records = args.length > 0 ? Integer.parseInt(args[0]) : 3_000_000;
        int qps = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
        int rate = args.length > 2 ? Integer.parseInt(args[2]) : 10_000;
        int seconds = args.length > 3 ? Integer.parseInt(args[3]) : 30;
        System.out.printf(
                Locale.ROOT,
                "count, exactly_once_v2, commit.interval.ms=100, %,d keys, embedded broker log.flush.policy=%s%n",
                KEYS,
                CountWorkload.flushPolicy());
        System.out.println(CountWorkload.machineLoad());
        queries(records, qps);
        System.out.println(CountWorkload.machineLoad());
        endToEnd(rate, seconds);
        System.out.println(CountWorkload.machineLoad());
    }

    private static Properties props(Path dir, String application) {
        return CountWorkload.props(dir, application, StreamsConfig.EXACTLY_ONCE_V2, 100L);
    }

    private static void queries(int records, int qps) throws Exception {
        Path dir = CountWorkload.tempDir("weir-iq-");
        try {
            String[] keys = CountWorkload.keys(KEYS);
            AtomicLong processed = new AtomicLong();
            try (WeirStreams streams = new WeirStreams(CountWorkload.topology(processed), props(dir, "warmup"))) {
                CountWorkload.createTopics(streams.bootstrapServers(), CountWorkload.INPUT, CountWorkload.OUTPUT);
                CountWorkload.produce(streams.bootstrapServers(), keys, 0, records);
                processAll(streams, processed, records, keys, 0, null); // JIT warm-up
            }
            double baseline = timed(dir, "baseline", records, keys, 0, null);
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
            double loaded = timed(dir, "queried", records, keys, qps, latency);
            System.out.printf(
                    Locale.ROOT,
                    "interactive query get(), %s, while counting %,d records: p50 %.1f µs  p99 %.1f µs  p99.9 %.1f µs"
                            + "  max %.1f µs (%,d queries); processing %,.0f rec/s with queries ÷ %,.0f without = %.2f%n",
                    qps == 0 ? "back to back" : String.format(Locale.ROOT, "%,d/s", qps),
                    records,
                    latency.getValueAtPercentile(50) / 1e3,
                    latency.getValueAtPercentile(99) / 1e3,
                    latency.getValueAtPercentile(99.9) / 1e3,
                    latency.getMaxValue() / 1e3,
                    latency.getTotalCount(),
                    loaded,
                    baseline,
                    loaded / baseline);
        } finally {
            CountWorkload.delete(dir);
        }
    }

    /** Counts the input with a new application on the broker in {@code dir}; returns its records/s. */
    private static double timed(Path dir, String application, int records, String[] keys, int qps, Histogram latency)
            throws Exception {
        AtomicLong processed = new AtomicLong();
        try (WeirStreams streams = new WeirStreams(CountWorkload.topology(processed), props(dir, application))) {
            System.gc();
            return processAll(streams, processed, records, keys, qps, latency);
        }
    }

    /** Starts {@code streams} and waits until it has processed {@code records}, querying if {@code latency} is set. */
    private static double processAll(
            WeirStreams streams, AtomicLong processed, int records, String[] keys, int qps, Histogram latency)
            throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        streams.setStateListener((now, before) -> {
            if (now == WeirStreams.State.RUNNING) {
                running.countDown();
            }
        });
        long start = System.nanoTime();
        streams.start();
        if (!running.await(2, TimeUnit.MINUTES)) {
            throw new IllegalStateException("Not RUNNING after 2 minutes");
        }
        AtomicBoolean done = new AtomicBoolean();
        AtomicLong migrated = new AtomicLong();
        Thread querier = null;
        if (latency != null) {
            ReadOnlyKeyValueStore<String, Long> store = streams.store(
                    StoreQueryParameters.fromNameAndType(CountWorkload.STORE, QueryableStoreTypes.keyValueStore()));
            querier = new Thread(() -> query(store, keys, qps, latency, done, migrated), "query");
            querier.start();
        }
        long deadline = start + TimeUnit.MINUTES.toNanos(5);
        while (processed.get() < records) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("Processed " + processed.get() + " of " + records + " in 5 minutes");
            }
            Thread.sleep(1);
        }
        double rate = records / ((System.nanoTime() - start) / 1e9);
        done.set(true);
        if (querier != null) {
            querier.join();
            if (migrated.get() > 0) {
                System.out.println("queries refused while a store moved: " + migrated.get());
            }
        }
        return rate;
    }

    private static void query(
            ReadOnlyKeyValueStore<String, Long> store,
            String[] keys,
            int qps,
            Histogram latency,
            AtomicBoolean done,
            AtomicLong migrated) {
        SplittableRandom random = new SplittableRandom(42);
        long interval = qps == 0 ? 0 : TimeUnit.SECONDS.toNanos(1) / qps;
        long next = System.nanoTime();
        while (!done.get()) {
            if (interval > 0) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                next += interval;
            }
            String key = keys[random.nextInt(keys.length)];
            long t0 = System.nanoTime();
            try {
                store.get(key);
                latency.recordValue(Math.min(System.nanoTime() - t0, latency.getHighestTrackableValue()));
            } catch (InvalidStateStoreException e) {
                migrated.incrementAndGet();
            }
        }
    }

    private static void endToEnd(int rate, int seconds) throws Exception {
        Path dir = CountWorkload.tempDir("weir-e2e-");
        try (WeirStreams streams =
                new WeirStreams(CountWorkload.topology(new AtomicLong()), props(dir, "e2e-latency"))) {
            String bootstrap = streams.bootstrapServers();
            CountWorkload.createTopics(bootstrap, CountWorkload.INPUT, CountWorkload.OUTPUT);
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            streams.start();
            if (!running.await(2, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Not RUNNING after 2 minutes");
            }
            String[] keys = CountWorkload.keys(KEYS);
            Map<String, ConcurrentLinkedQueue<Long>> sent = new ConcurrentHashMap<>();
            for (String key : keys) {
                sent.put(key, new ConcurrentLinkedQueue<>());
            }
            Histogram latency = new Histogram(TimeUnit.SECONDS.toNanos(60), 3);
            AtomicLong outstanding = new AtomicLong();
            AtomicBoolean stop = new AtomicBoolean();
            AtomicReference<Throwable> readerFailure = new AtomicReference<>();
            long begin = System.nanoTime();
            long measureFrom = begin + WARMUP_NANOS;
            Thread reader = new Thread(
                    () -> {
                        try {
                            read(bootstrap, sent, latency, measureFrom, outstanding, stop);
                        } catch (Throwable e) {
                            readerFailure.set(e);
                        }
                    },
                    "e2e-reader");
            reader.start();
            long count = produce(bootstrap, keys, sent, outstanding, rate, begin, seconds);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (outstanding.get() > 0 && System.nanoTime() < deadline && readerFailure.get() == null) {
                Thread.sleep(10);
            }
            stop.set(true);
            reader.join();
            if (readerFailure.get() != null) {
                throw new IllegalStateException("The output reader failed", readerFailure.get());
            }
            System.out.printf(
                    Locale.ROOT,
                    "end to end, produce → read_committed count output, %,d rec/s for %d s (%,d records, first 5 s not"
                            + " counted): p50 %.1f ms  p99 %.1f ms  p99.9 %.1f ms  max %.1f ms (%,d samples%s)%n",
                    rate,
                    seconds,
                    count,
                    latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6,
                    latency.getValueAtPercentile(99.9) / 1e6,
                    latency.getMaxValue() / 1e6,
                    latency.getTotalCount(),
                    outstanding.get() == 0 ? "" : ", " + outstanding.get() + " NEVER SEEN");
        } finally {
            CountWorkload.delete(dir);
        }
    }

    /** Sends at {@code rate}/s for {@code seconds}; each send's time is queued under its key before it is sent. */
    private static long produce(
            String bootstrap,
            String[] keys,
            Map<String, ConcurrentLinkedQueue<Long>> sent,
            AtomicLong outstanding,
            int rate,
            long begin,
            int seconds) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", "0");
        SplittableRandom random = new SplittableRandom(7);
        long interval = TimeUnit.SECONDS.toNanos(1) / rate;
        long end = begin + TimeUnit.SECONDS.toNanos(seconds);
        long count = 0;
        AtomicReference<Exception> failure = new AtomicReference<>();
        try (Producer<String, String> producer =
                Producer.create(props, new StringSerializer(), new StringSerializer())) {
            for (long next = begin; next < end; next += interval) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                    LockSupport.parkNanos(wait);
                }
                String key = keys[random.nextInt(keys.length)];
                outstanding.incrementAndGet();
                sent.get(key).add(System.nanoTime());
                producer.send(new ProducerRecord<>(CountWorkload.INPUT, key, "x"), (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
                count++;
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("A send failed", failure.get());
        }
        return count;
    }

    private static void read(
            String bootstrap,
            Map<String, ConcurrentLinkedQueue<Long>> sent,
            Histogram latency,
            long measureFrom,
            AtomicLong outstanding,
            AtomicBoolean stop) {
        Map<String, Long> covered = new HashMap<>();
        try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, CountWorkload.OUTPUT)) {
            while (!stop.get()) {
                Iterable<ConsumerRecord<String, Long>> polled = reader.poll(Duration.ofMillis(100));
                long now = System.nanoTime();
                for (ConsumerRecord<String, Long> r : polled) {
                    long done = covered.getOrDefault(r.key(), 0L);
                    ConcurrentLinkedQueue<Long> queue = sent.get(r.key());
                    for (; done < r.value(); done++) {
                        Long sentAt = queue.poll();
                        if (sentAt == null) {
                            throw new IllegalStateException("Output count " + r.value() + " for " + r.key()
                                    + " is more than was sent to it: " + done);
                        }
                        outstanding.decrementAndGet();
                        if (sentAt >= measureFrom) {
                            latency.recordValue(Math.min(now - sentAt, latency.getHighestTrackableValue()));
                        }
                    }
                    covered.put(r.key(), done);
                }
            }
        }
    }
}
