package io.weir.bench.broker;

import io.weir.bench.GcPauses;
import io.weir.bench.RunConditions;
import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.ByteArraySerializer;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * What exactly-once costs, as ratios against a baseline measured in the same run, on one embedded broker
 * (flush policy {@code os}, Kafka's default):
 * <ol>
 *   <li>plain {@code acks=all}, idempotent and transactional (a commit every 100 ms) produce, 100 B and 1 KB
 *       records, alternating within each round: idempotent ÷ plain and transactional ÷ idempotent (goals ≥ 0.97);</li>
 *   <li>{@code read_committed} vs {@code read_uncommitted} consume of the same transactional data (goal ≥ 0.95);</li>
 *   <li>commit latency of a small transaction (10 records over 2 partitions): p50 / p99 of
 *       {@code commitTransaction()};</li>
 *   <li>end-to-end latency of one-record transactions read by a {@code read_committed} consumer: from
 *       {@code beginTransaction()} to the record's arrival (Kafka 4.1 on this machine: p50 0.97 ms, p99 9.1 ms).</li>
 * </ol>
 * A produce round runs the three modes back to back, each on a fresh topic, in an order that rotates every round.
 * Every run is printed with what else happened meanwhile ({@link RunConditions}: GC time, other processes' CPU, the
 * page cache's dirty and writeback bytes) and, for transactions, the time the sending thread spent in
 * {@code commitTransaction()}; then each mode's median and range and each ratio's median and range over the rounds.
 * A range wider than ±10 % of its median is flagged: on this 2-core machine it is a finding to explain.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar [-Dweir.bench.sections=produce,consume,latency] \
 *     [-Dweir.bench.buffer.memory=33554432] [-Dweir.bench.commit.interval.ms=100] \
 *     [-Dweir.bench.modes=PLAIN,IDEMPOTENT,TRANSACTIONAL] [-Dweir.bench.sizes=100,1024] \
 *     io.weir.bench.broker.TransactionBenchmark [rounds (7)] [1 KB records per run (1M; 4M of 100 B)] [latency-samples]
 * </pre>
 */
public final class TransactionBenchmark {
    private static final int PARTITIONS = 1;
    /**
     * Kafka's default (32 MiB). With 256 MiB the plain and idempotent runs queue up to 256 MiB of batches, which
     * live long enough to be promoted and collected from the old generation, while a transaction's commit drains the
     * queue every 100 ms: the ratio then measured the queue, not exactly-once.
     */
    private static final String BUFFER_MEMORY =
            System.getProperty("weir.bench.buffer.memory", Long.toString(32L << 20));
    /**
     * How often a transactional run commits (100 ms, Kafka Streams' exactly-once default); a long interval leaves only
     * the per-record cost of a transaction, which tells it apart from the per-commit cost.
     */
    private static final long COMMIT_INTERVAL_NANOS = Long.getLong("weir.bench.commit.interval.ms", 100) * 1_000_000L;

    private enum Mode {
        PLAIN,
        IDEMPOTENT,
        TRANSACTIONAL
    }

    private TransactionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 7;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        List<String> sections = List.of(System.getProperty("weir.bench.sections", "produce,consume,latency")
                .split(","));
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        Path dir = Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "weir-txn-");
        int gcMark = GcPauses.mark();
        try (EmbeddedBroker broker = EmbeddedBroker.open(BrokerConfig.from(Map.of(
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.LOG_RETENTION_BYTES, Long.toString(1L << 30))))) {
            Bench bench = new Bench(broker);
            if (sections.contains("produce")) {
                for (String size :
                        System.getProperty("weir.bench.sizes", "100,1024").split(",")) {
                    int bytes = Integer.parseInt(size);
                    bench.compareModes(bytes, bytes < 1024 ? records * 4 : records, repeats);
                }
            }
            if (sections.contains("consume")) {
                bench.compareConsume(records, repeats);
            }
            if (sections.contains("latency")) {
                bench.commitLatency(samples);
                bench.endToEndLatency(samples);
            }
            System.out.printf(
                    Locale.ROOT,
                    "whole run: %s, heap max %d MB (%s)%n",
                    GcPauses.since(gcMark),
                    Runtime.getRuntime().maxMemory() >> 20,
                    GcPauses.collectors());
        } finally {
            try (Stream<Path> walk = Files.walk(dir)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    private static final class Bench {
        private final EmbeddedBroker broker;
        private int topics;

        Bench(EmbeddedBroker broker) {
            this.broker = broker;
        }

        private String newTopic(int partitions) throws Exception {
            String name = "t" + topics++;
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic(name, partitions)))
                        .all()
                        .get();
            }
            return name;
        }

        private void deleteTopics(String... names) throws Exception {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.deleteTopics(List.of(names)).all().get();
            }
        }

        private Properties producerProps(Mode mode) {
            Properties props = new Properties();
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("acks", "all");
            props.put("linger.ms", "5");
            props.put("batch.size", "65536");
            props.put("buffer.memory", BUFFER_MEMORY);
            props.put("enable.idempotence", Boolean.toString(mode != Mode.PLAIN));
            if (mode == Mode.TRANSACTIONAL) {
                props.put("transactional.id", "bench-" + topics);
            }
            return props;
        }

        /** One produce run: its rate, the time the sending thread spent in commitTransaction(), the machine meanwhile. */
        record ProduceRun(double recordsPerSecond, int commits, long commitWaitNanos, RunConditions conditions) {}

        /** Sends {@code records} records of {@code size} bytes; transactions commit every 100 ms. */
        ProduceRun produce(Mode mode, int size, int records, String topic) throws Exception {
            byte[] value = new byte[size];
            new Random(7).nextBytes(value);
            AtomicReference<Exception> failure = new AtomicReference<>();
            int commits = 0;
            long commitWait = 0;
            long start;
            RunConditions conditions;
            try (Producer<byte[], byte[]> producer =
                    Producer.create(producerProps(mode), new ByteArraySerializer(), new ByteArraySerializer())) {
                if (mode == Mode.TRANSACTIONAL) {
                    producer.initTransactions();
                }
                conditions = RunConditions.start();
                start = System.nanoTime();
                long nextCommit = start + COMMIT_INTERVAL_NANOS;
                if (mode == Mode.TRANSACTIONAL) {
                    producer.beginTransaction();
                }
                for (int i = 0; i < records; i++) {
                    producer.send(new ProducerRecord<>(topic, i % PARTITIONS, null, value), (m, e) -> {
                        if (e != null) {
                            failure.compareAndSet(null, e);
                        }
                    });
                    if (mode == Mode.TRANSACTIONAL && (i & 255) == 0 && System.nanoTime() >= nextCommit) {
                        long before = System.nanoTime();
                        producer.commitTransaction();
                        commitWait += System.nanoTime() - before;
                        commits++;
                        producer.beginTransaction();
                        nextCommit = System.nanoTime() + COMMIT_INTERVAL_NANOS;
                    }
                }
                long before = System.nanoTime();
                if (mode == Mode.TRANSACTIONAL) {
                    producer.commitTransaction();
                    commits++;
                } else {
                    producer.flush();
                }
                commitWait += mode == Mode.TRANSACTIONAL ? System.nanoTime() - before : 0;
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            conditions.stop();
            if (failure.get() != null) {
                throw new IllegalStateException(mode + " produce failed", failure.get());
            }
            return new ProduceRun(records / seconds, commits, commitWait, conditions);
        }

        /**
         * {@code rounds} rounds of plain, idempotent and transactional produce, each mode on a fresh topic; the
         * order rotates every round so that no mode always runs first (on a cold page cache) or last. Prints every
         * run with what the machine did meanwhile, then each mode's median and range and the two ratios per round.
         */
        void compareModes(int size, int records, int rounds) throws Exception {
            Mode[] modes = Arrays.stream(System.getProperty("weir.bench.modes", "PLAIN,IDEMPOTENT,TRANSACTIONAL")
                            .split(","))
                    .map(Mode::valueOf)
                    .toArray(Mode[]::new);
            double[][] rates = new double[Mode.values().length][rounds];
            String sizeName = size >= 1024 ? size / 1024 + " KB" : size + " B";
            System.out.printf(
                    Locale.ROOT,
                    "%n%s records, %,d per run, %d rounds, buffer.memory %s%n",
                    sizeName,
                    records,
                    rounds,
                    BUFFER_MEMORY);
            for (Mode mode : modes) { // not measured: compiles this record size's paths in every mode
                String topic = newTopic(PARTITIONS);
                produce(mode, size, records / 2, topic);
                deleteTopics(topic);
            }
            for (int r = 0; r < rounds; r++) {
                for (int k = 0; k < modes.length; k++) {
                    Mode mode = modes[(r + k) % modes.length];
                    String topic = newTopic(PARTITIONS);
                    ProduceRun run = produce(mode, size, records, topic);
                    // Deleting the topic drops its dirty pages, so every run starts from the same page cache:
                    // otherwise the third run of a round crosses the kernel's background writeback threshold
                    // (dirty_background_ratio, ~2.3 GiB here) and is throttled whatever its mode.
                    deleteTopics(topic);
                    rates[mode.ordinal()][r] = run.recordsPerSecond();
                    System.out.printf(
                            Locale.ROOT,
                            "  round %d  %-13s %,11.0f rec/s  %s%s%n",
                            r + 1,
                            mode,
                            run.recordsPerSecond(),
                            run.conditions().describe(),
                            mode == Mode.TRANSACTIONAL
                                    ? String.format(
                                            Locale.ROOT,
                                            "  %d commits, %.1f ms in commitTransaction()",
                                            run.commits(),
                                            run.commitWaitNanos() / 1e6)
                                    : "");
                }
            }
            for (Mode mode : modes) {
                System.out.printf(
                        Locale.ROOT,
                        "%-13s %s, median %,.0f rec/s  %s%n",
                        mode,
                        sizeName,
                        median(rates[mode.ordinal()]),
                        spread(rates[mode.ordinal()], "%,.0f"));
            }
            if (modes.length == Mode.values().length) { // a profiling run may leave modes out
                ratio("idempotent ÷ plain", sizeName, rates[Mode.IDEMPOTENT.ordinal()], rates[Mode.PLAIN.ordinal()]);
                ratio(
                        "transactional ÷ idempotent",
                        sizeName,
                        rates[Mode.TRANSACTIONAL.ordinal()],
                        rates[Mode.IDEMPOTENT.ordinal()]);
            }
        }

        private static void ratio(String what, String sizeName, double[] measured, double[] baseline) {
            double[] ratios = new double[measured.length];
            for (int r = 0; r < ratios.length; r++) {
                ratios[r] = measured[r] / baseline[r];
            }
            report(what + ", " + sizeName + " (per round)", ratios, measured);
        }

        private static double median(double[] values) {
            double[] sorted = values.clone();
            Arrays.sort(sorted);
            int n = sorted.length;
            return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
        }

        /** "min–max (±x % of the median)", flagged when wider than ±10 %: a finding to explain, not noise. */
        private static String spread(double[] values, String format) {
            double min = Arrays.stream(values).min().orElse(0);
            double max = Arrays.stream(values).max().orElse(0);
            double half = (max - min) / 2 / median(values) * 100;
            return String.format(
                    Locale.ROOT,
                    "range " + format + "–" + format + " (±%.0f %%%s)",
                    min,
                    max,
                    half,
                    half > 10 ? ", WIDER THAN ±10 %" : "");
        }

        void compareConsume(int records, int repeats) throws Exception {
            String topic = newTopic(PARTITIONS);
            produce(Mode.TRANSACTIONAL, 1024, records, topic);
            double[] ratios = new double[repeats];
            double[] rates = new double[repeats];
            for (int r = 0; r < repeats; r++) {
                double committed;
                double uncommitted;
                if (r % 2 == 0) {
                    committed = consume(topic, "read_committed", records);
                    uncommitted = consume(topic, "read_uncommitted", records);
                } else {
                    uncommitted = consume(topic, "read_uncommitted", records);
                    committed = consume(topic, "read_committed", records);
                }
                ratios[r] = committed / uncommitted;
                rates[r] = committed;
            }
            report("read_committed vs read_uncommitted consume, 1 KB transactional records", ratios, rates);
        }

        private double consume(String topic, String isolation, int records) {
            Properties props = new Properties();
            props.put("bootstrap.servers", broker.bootstrapServers());
            props.put("isolation.level", isolation);
            props.put("max.poll.records", "2000");
            props.put("fetch.max.bytes", Integer.toString(8 << 20));
            props.put("max.partition.fetch.bytes", Integer.toString(4 << 20));
            TopicPartition tp = new TopicPartition(topic, 0);
            long start = System.nanoTime();
            int seen = 0;
            try (Consumer<byte[], byte[]> consumer =
                    Consumer.create(props, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                while (seen < records) {
                    seen += consumer.poll(Duration.ofSeconds(1)).count();
                }
            }
            return seen / ((System.nanoTime() - start) / 1e9);
        }

        /** commitTransaction() of 10 records over 2 partitions. */
        void commitLatency(int samples) throws Exception {
            String topic = newTopic(2);
            Properties props = producerProps(Mode.TRANSACTIONAL);
            props.put("linger.ms", "0");
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            byte[] value = new byte[100];
            try (Producer<byte[], byte[]> producer =
                    Producer.create(props, new ByteArraySerializer(), new ByteArraySerializer())) {
                producer.initTransactions();
                int warmup = samples / 5;
                for (int i = 0; i < samples + warmup; i++) {
                    producer.beginTransaction();
                    for (int r = 0; r < 10; r++) {
                        producer.send(new ProducerRecord<>(topic, r % 2, null, value));
                    }
                    long start = System.nanoTime();
                    producer.commitTransaction();
                    if (i >= warmup) {
                        histogram.recordValue(System.nanoTime() - start);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "commitTransaction(), 10 records over 2 partitions: p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  (%d samples)%n",
                    histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6,
                    histogram.getValueAtPercentile(99.9) / 1e6,
                    samples);
        }

        /** One-record transactions, from beginTransaction() to arrival at a read_committed consumer. */
        void endToEndLatency(int samples) throws Exception {
            String topic = newTopic(1);
            Properties pp = producerProps(Mode.TRANSACTIONAL);
            pp.put("linger.ms", "0");
            Properties cp = new Properties();
            cp.put("bootstrap.servers", broker.bootstrapServers());
            cp.put("isolation.level", "read_committed");
            cp.put("fetch.max.wait.ms", "500");
            TopicPartition tp = new TopicPartition(topic, 0);
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            try (Producer<byte[], byte[]> producer =
                            Producer.create(pp, new ByteArraySerializer(), new ByteArraySerializer());
                    Consumer<byte[], byte[]> consumer =
                            Consumer.create(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                producer.initTransactions();
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp);
                int warmup = samples / 5;
                for (int i = 0; i < samples + warmup; i++) {
                    long start = System.nanoTime();
                    producer.beginTransaction();
                    producer.send(new ProducerRecord<>(
                            topic,
                            0,
                            null,
                            ByteBuffer.allocate(8).putLong(start).array()));
                    producer.commitTransaction();
                    int got = 0;
                    while (got == 0) {
                        ConsumerRecords<byte[], byte[]> records = consumer.poll(Duration.ofSeconds(10));
                        got = records.count();
                    }
                    if (i >= warmup) {
                        histogram.recordValue(System.nanoTime() - start);
                    }
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "end-to-end, one-record transactions, read_committed: p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  (%d samples; Kafka 4.1 here: p50 0.97, p99 9.1)%n",
                    histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6,
                    histogram.getValueAtPercentile(99.9) / 1e6,
                    samples);
        }

        private static void report(String what, double[] ratios, double[] rates) {
            List<String> runs = new ArrayList<>();
            for (double r : ratios) {
                runs.add(String.format(Locale.ROOT, "%.3f", r));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-60s median ratio %.3f  %s  (runs %s; measured side median %,.0f records/s)%n",
                    what,
                    median(ratios),
                    spread(ratios, "%.3f"),
                    String.join(" ", runs),
                    median(rates));
        }
    }
}
