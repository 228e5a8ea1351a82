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
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * End-to-end throughput and latency of the embedded broker through the real clients, one scenario per line:
 * records/s, MB/s and the p50 / p99 / p99.9 of send-to-acknowledgement latency, for each combination of
 * record size, partition count, acks and flush policy; then the end-to-end latency of one record in flight
 * (send, consumer long-poll, receive). Data goes to a temporary directory on the machine's disk.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.EndToEndBenchmark [records-100B] [records-1KB] [e2e-samples]
 * java -cp ... EndToEndBenchmark durable [repeats] [records-1KB] [partition counts]     (issue 19 §4, DurableWrites)
 * java -cp ... EndToEndBenchmark latency [repeats] [peak-records] [paced-seconds] [fractions]  (§3, LatencyUnderLoad)
 * </pre>
 * The full run ends with one run of each of the latter two.
 * Each scenario runs a warm-up of a tenth of its records on a separate topic first. Latency of a throughput
 * run includes time queued in the producer's accumulator (as Kafka's ProducerPerformance reports it). Beside
 * each rate: the collector's stop-the-world pauses during the measured run (count, total, longest; see
 * {@link GcPauses}), and a last line sums them over the whole benchmark, warm-ups included. System property
 * {@code weir.bench.only} keeps only the scenarios whose name contains it (e.g. {@code "100B 4p acks=all"}),
 * to profile one; {@code weir.bench.flush.interval.bytes} sets {@code log.flush.interval.bytes} (a huge value turns
 * the background tail flush off, to measure what it costs).
 */
public final class EndToEndBenchmark {
    private EndToEndBenchmark() {}

    record Scenario(int recordBytes, int partitions, String acks, String flushPolicy, int records) {
        @Override
        public String toString() {
            return String.format(
                    Locale.ROOT,
                    "%5s %dp acks=%-3s flush=%-11s",
                    recordBytes >= 1024 ? recordBytes / 1024 + "KB" : recordBytes + "B",
                    partitions,
                    acks,
                    flushPolicy);
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0 && args[0].equals("durable")) {
            // durable [repeats] [records-1KB] [partition counts, comma-separated]
            DurableWrites.run(
                    args.length > 1 ? Integer.parseInt(args[1]) : 5,
                    args.length > 2 ? Integer.parseInt(args[2]) : 1_000_000,
                    args.length > 3
                            ? Stream.of(args[3].split(","))
                                    .map(Integer::valueOf)
                                    .toList()
                            : List.of(1, 4));
            return;
        }
        if (args.length > 0 && args[0].equals("latency")) {
            // latency [repeats] [peak-records] [paced-seconds] [fractions of the peak, comma-separated]
            LatencyUnderLoad.run(
                    args.length > 1 ? Integer.parseInt(args[1]) : 5,
                    args.length > 2 ? Integer.parseInt(args[2]) : 2_000_000,
                    args.length > 3 ? Double.parseDouble(args[3]) : 5,
                    args.length > 4
                            ? Stream.of(args[4].split(",")).map(Double::valueOf).toList()
                            : List.of(0.5),
                    System.getProperty("weir.bench.latency.flush", "os"));
            return;
        }
        int n100 = args.length > 0 ? Integer.parseInt(args[0]) : 2_000_000;
        int n1k = args.length > 1 ? Integer.parseInt(args[1]) : 500_000;
        int e2eSamples = args.length > 2 ? Integer.parseInt(args[2]) : 20_000;
        List<Scenario> scenarios = new ArrayList<>();
        for (String flush : List.of("os", "every-batch")) {
            for (String acks : List.of("1", "all")) {
                for (int partitions : List.of(1, 4)) {
                    scenarios.add(new Scenario(100, partitions, acks, flush, n100));
                    scenarios.add(new Scenario(1024, partitions, acks, flush, n1k));
                }
            }
        }
        String only = System.getProperty("weir.bench.only");
        int all = GcPauses.mark();
        System.out.println("scenario                                 records/s       MB/s   p50 ms   p99 ms  p999 ms"
                + "   gc: pauses total ms max ms  alloc B/rec");
        for (Scenario scenario : scenarios) {
            if (only == null || scenario.toString().contains(only)) {
                run(scenario);
            }
        }
        if (only == null) {
            for (String flush : List.of("os", "every-batch")) {
                endToEndLatency(flush, e2eSamples);
            }
        }
        if (only == null) {
            LatencyUnderLoad.run(1, n100, 5, List.of(0.5), "os");
            DurableWrites.run(1, n1k, List.of(1, 4));
        }
        GcPauses.Summary total = GcPauses.since(all);
        System.out.printf(
                Locale.ROOT,
                "whole run, warm-ups included: %s, heap max %d MB (%s)%n",
                total,
                Runtime.getRuntime().maxMemory() >> 20,
                GcPauses.collectors());
    }

    static Path dataDir() throws Exception {
        return Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "weir-e2e-");
    }

    static EmbeddedBroker broker(Path dir, String flushPolicy) {
        return EmbeddedBroker.open(BrokerConfig.from(Map.of(
                BrokerConfig.LOG_DIRS,
                dir.toString(),
                BrokerConfig.LOG_FLUSH_POLICY,
                flushPolicy,
                BrokerConfig.APPEND_RINGS,
                System.getProperty("weir.bench.rings", "1"),
                BrokerConfig.APPEND_WAIT_STRATEGY,
                System.getProperty("weir.bench.wait.strategy", "blocking"),
                BrokerConfig.LOG_FLUSH_INTERVAL_BYTES,
                System.getProperty(
                        "weir.bench.flush.interval.bytes", Long.toString(BrokerConfig.DEFAULT_FLUSH_INTERVAL_BYTES)))));
    }

    private static void run(Scenario s) throws Exception {
        Path dir = dataDir();
        try (EmbeddedBroker broker = broker(dir, s.flushPolicy())) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(
                                List.of(new NewTopic("warmup", s.partitions()), new NewTopic("bench", s.partitions())))
                        .all()
                        .get();
            }
            produce(broker, "warmup", s, Math.max(1, s.records() / 10), null);
            Histogram latency = new Histogram(60_000_000_000L, 3);
            int gcMark = GcPauses.mark();
            long start = System.nanoTime();
            long allocated = produce(broker, "bench", s, s.records(), latency);
            double seconds = (System.nanoTime() - start) / 1e9;
            double rate = s.records() / seconds;
            GcPauses.Summary gc = GcPauses.since(gcMark);
            System.out.printf(
                    Locale.ROOT,
                    "%s %,12.0f %10.1f %8.2f %8.2f %8.2f %10d %8d %6d %12.1f%n",
                    s,
                    rate,
                    rate * s.recordBytes() / (1024 * 1024),
                    latency.getValueAtPercentile(50) / 1e6,
                    latency.getValueAtPercentile(99) / 1e6,
                    latency.getValueAtPercentile(99.9) / 1e6,
                    gc.count(),
                    gc.totalMs(),
                    gc.maxMs(),
                    (double) allocated / s.records());
        } finally {
            delete(dir);
        }
    }

    /**
     * Sends {@code records} records and waits for every acknowledgement.
     *
     * @return the bytes the JVM allocated from the first send to the last acknowledgement, the benchmark's own
     *         objects included (a {@code ProducerRecord}, 40 bytes, and a callback capturing the send time, 32
     *         bytes, per record)
     */
    private static long produce(EmbeddedBroker broker, String topic, Scenario s, int records, Histogram latency) {
        Properties props = new Properties();
        props.put("bootstrap.servers", broker.bootstrapServers());
        props.put("acks", s.acks());
        props.put("linger.ms", System.getProperty("weir.bench.linger.ms", "5"));
        props.put("batch.size", System.getProperty("weir.bench.batch.size", "65536"));
        props.put("buffer.memory", Long.toString(256L << 20));
        return produce(props, topic, s.partitions(), s.recordBytes(), records, latency);
    }

    /**
     * Sends {@code records} random records of {@code recordBytes} round-robin over the partitions as fast as the
     * producer takes them, then flushes; records each send-to-acknowledgement latency if {@code latency} is set.
     *
     * @return the bytes the JVM allocated from the first send to the last acknowledgement
     */
    static long produce(
            Properties props, String topic, int partitions, int recordBytes, int records, Histogram latency) {
        byte[] value = new byte[recordBytes];
        new Random(7).nextBytes(value);
        AtomicLong failures = new AtomicLong();
        long allocated;
        try (Producer<byte[], byte[]> producer =
                Producer.create(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            Map<Long, Long> allocatedBefore = GcPauses.allocatedBytes();
            for (int i = 0; i < records; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, i % partitions, null, value), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    } else if (latency != null) {
                        latency.recordValue(Math.max(0, System.nanoTime() - sent));
                    }
                });
            }
            producer.flush();
            allocated = GcPauses.allocatedSince(allocatedBefore);
        }
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " sends to " + topic + " failed");
        }
        return allocated;
    }

    /** One record in flight: send, wait until the long-polling consumer has it, repeat. */
    private static void endToEndLatency(String flushPolicy, int samples) throws Exception {
        Path dir = dataDir();
        try (EmbeddedBroker broker = broker(dir, flushPolicy)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("latency", 1))).all().get();
            }
            Properties pp = new Properties();
            pp.put("bootstrap.servers", broker.bootstrapServers());
            pp.put("acks", "all");
            pp.put("linger.ms", "0");
            Properties cp = new Properties();
            cp.put("bootstrap.servers", broker.bootstrapServers());
            cp.put("fetch.max.wait.ms", "500");
            TopicPartition tp = new TopicPartition("latency", 0);
            Histogram histogram = new Histogram(60_000_000_000L, 3);
            byte[] value = new byte[100];
            try (Producer<byte[], byte[]> producer =
                            Producer.create(pp, new ByteArraySerializer(), new ByteArraySerializer());
                    Consumer<byte[], byte[]> consumer =
                            Consumer.create(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
                consumer.assign(List.of(tp));
                consumer.seekToEnd(List.of(tp));
                consumer.position(tp); // resolve the lazy seek now, before the first record exists
                int warmup = samples / 5;
                for (int i = 0; i < samples + warmup; i++) {
                    long start = System.nanoTime();
                    producer.send(new ProducerRecord<>("latency", 0, null, value));
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
                    "end-to-end, 1 record in flight, acks=all flush=%-11s p50 %.3f ms  p99 %.3f ms  p999 %.3f ms  (%d samples)%n",
                    flushPolicy,
                    histogram.getValueAtPercentile(50) / 1e6,
                    histogram.getValueAtPercentile(99) / 1e6,
                    histogram.getValueAtPercentile(99.9) / 1e6,
                    samples);
        } finally {
            delete(dir);
        }
    }

    static void delete(Path dir) throws Exception {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
