package io.weir.bench.broker;

import io.weir.bench.GcPauses;
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
 *   <li>idempotent vs plain {@code acks=all} produce, 100 B and 1 KB records (goal ≥ 0.97);</li>
 *   <li>transactional, a commit every 100 ms, vs idempotent, 1 KB records (goal ≥ 0.97);</li>
 *   <li>{@code read_committed} vs {@code read_uncommitted} consume of the same transactional data (goal ≥ 0.95);</li>
 *   <li>commit latency of a small transaction (10 records over 2 partitions): p50 / p99 of
 *       {@code commitTransaction()};</li>
 *   <li>end-to-end latency of one-record transactions read by a {@code read_committed} consumer: from
 *       {@code beginTransaction()} to the record's arrival (Kafka 4.1 on this machine: p50 0.97 ms, p99 9.1 ms).</li>
 * </ol>
 * Each throughput pair runs {@code repeats} times, alternating which side goes first, on fresh topics; the
 * line shows the median ratio and every run's ratio, so noise on this 2-core machine is visible, and the
 * collector's stop-the-world pauses over all its runs (count, total, longest; see {@link GcPauses}); a last line
 * sums the pauses of the whole benchmark.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.TransactionBenchmark [repeats] [records] [latency-samples]
 * </pre>
 */
public final class TransactionBenchmark {
    private static final int PARTITIONS = 1;

    private enum Mode {
        PLAIN,
        IDEMPOTENT,
        TRANSACTIONAL
    }

    private TransactionBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int samples = args.length > 2 ? Integer.parseInt(args[2]) : 5_000;
        Path dir = Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "weir-txn-");
        int gcMark = GcPauses.mark();
        try (EmbeddedBroker broker = EmbeddedBroker.open(BrokerConfig.from(Map.of(
                BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.LOG_RETENTION_BYTES, Long.toString(1L << 30))))) {
            Bench bench = new Bench(broker);
            bench.produce(Mode.PLAIN, 1024, records / 5, "warmup"); // JIT and page cache
            bench.compareProduce(Mode.IDEMPOTENT, Mode.PLAIN, 100, records * 2, repeats);
            bench.compareProduce(Mode.IDEMPOTENT, Mode.PLAIN, 1024, records, repeats);
            bench.compareProduce(Mode.TRANSACTIONAL, Mode.IDEMPOTENT, 1024, records, repeats);
            bench.compareConsume(records, repeats);
            bench.commitLatency(samples);
            bench.endToEndLatency(samples);
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
            props.put("buffer.memory", Long.toString(256L << 20));
            props.put("enable.idempotence", Boolean.toString(mode != Mode.PLAIN));
            if (mode == Mode.TRANSACTIONAL) {
                props.put("transactional.id", "bench-" + topics);
            }
            return props;
        }

        /** Records/s of sending {@code records} records of {@code size} bytes; transactions commit every 100 ms. */
        double produce(Mode mode, int size, int records, String topic) throws Exception {
            byte[] value = new byte[size];
            new Random(7).nextBytes(value);
            AtomicReference<Exception> failure = new AtomicReference<>();
            long start;
            try (Producer<byte[], byte[]> producer =
                    Producer.create(producerProps(mode), new ByteArraySerializer(), new ByteArraySerializer())) {
                if (mode == Mode.TRANSACTIONAL) {
                    producer.initTransactions();
                }
                start = System.nanoTime();
                long nextCommit = start + 100_000_000L;
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
                        producer.commitTransaction();
                        producer.beginTransaction();
                        nextCommit = System.nanoTime() + 100_000_000L;
                    }
                }
                if (mode == Mode.TRANSACTIONAL) {
                    producer.commitTransaction();
                } else {
                    producer.flush();
                }
            }
            double seconds = (System.nanoTime() - start) / 1e9;
            if (failure.get() != null) {
                throw new IllegalStateException(mode + " produce failed", failure.get());
            }
            return records / seconds;
        }

        void compareProduce(Mode measured, Mode baseline, int size, int records, int repeats) throws Exception {
            double[] ratios = new double[repeats];
            double[] rates = new double[repeats];
            int gcMark = GcPauses.mark();
            for (int r = 0; r < repeats; r++) {
                String a = newTopic(PARTITIONS);
                String b = newTopic(PARTITIONS);
                double m;
                double base;
                if (r % 2 == 0) {
                    m = produce(measured, size, records, a);
                    base = produce(baseline, size, records, b);
                } else {
                    base = produce(baseline, size, records, b);
                    m = produce(measured, size, records, a);
                }
                ratios[r] = m / base;
                rates[r] = m;
                deleteTopics(a, b); // keep the disk and page cache from filling up over the runs
            }
            report(
                    String.format(
                            Locale.ROOT,
                            "%s vs %s produce, %s records",
                            measured,
                            baseline,
                            size >= 1024 ? size / 1024 + " KB" : size + " B"),
                    ratios,
                    rates,
                    GcPauses.since(gcMark));
        }

        void compareConsume(int records, int repeats) throws Exception {
            String topic = newTopic(PARTITIONS);
            produce(Mode.TRANSACTIONAL, 1024, records, topic);
            double[] ratios = new double[repeats];
            double[] rates = new double[repeats];
            int gcMark = GcPauses.mark();
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
            report(
                    "read_committed vs read_uncommitted consume, 1 KB transactional records",
                    ratios,
                    rates,
                    GcPauses.since(gcMark));
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

        private static void report(String what, double[] ratios, double[] rates, GcPauses.Summary gc) {
            double[] sortedRatios = ratios.clone();
            Arrays.sort(sortedRatios);
            double[] sortedRates = rates.clone();
            Arrays.sort(sortedRates);
            List<String> runs = new ArrayList<>();
            for (double r : ratios) {
                runs.add(String.format(Locale.ROOT, "%.3f", r));
            }
            System.out.printf(
                    Locale.ROOT,
                    "%-70s median ratio %.3f  (runs %s; measured side median %,.0f records/s; %s)%n",
                    what,
                    sortedRatios[ratios.length / 2],
                    String.join(" ", runs),
                    sortedRates[rates.length / 2],
                    gc);
        }
    }
}
