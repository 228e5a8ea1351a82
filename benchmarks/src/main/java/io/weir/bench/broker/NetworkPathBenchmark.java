package io.weir.bench.broker;

import io.weir.bench.Spread;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.ByteArraySerializer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.Stream;
import org.HdrHistogram.Histogram;

/**
 * What the network costs Weir's own clients: the same producer workload through the in-process path ({@code
 * bootstrap.servers=embedded:<name>}, Weir's producer calling the broker's {@code BrokerApi}) and through the network
 * path ({@code bootstrap.servers=127.0.0.1:<port>}: Weir's network producer, which is kafka-clients' {@code
 * KafkaProducer}, and the broker's Kafka listener), against one embedded broker in this JVM with {@code os} flush.
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.NetworkPathBenchmark [runs] [records-100B] [records-1KB]
 * </pre>
 *
 * For 100 B and 1 KB records (defaults: 3 runs, 1,000,000 and 300,000 records), one partition, {@code acks=all},
 * idempotent, the producer's other settings Weir's defaults on both paths (the network producer is given the values
 * Weir parsed): a warm-up on each path, then runs alternating which path goes first, each on a new topic. Prints each
 * run's records/s and p99 send-to-acknowledgement latency, then on {@code RESULT} lines the medians (min–max) and
 * the per-pair ratio network ÷ in-process.
 */
public final class NetworkPathBenchmark {
    private NetworkPathBenchmark() {}

    private record Run(double recordsPerSec, double p99Ms) {}

    public static void main(String[] args) throws Exception {
        // kafka-clients (Weir's network admin) logs every client's configuration at INFO.
        System.setProperty(
                "org.slf4j.simpleLogger.defaultLogLevel",
                System.getProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn"));
        int runs = args.length > 0 ? Integer.parseInt(args[0]) : 3;
        int n100 = args.length > 1 ? Integer.parseInt(args[1]) : 1_000_000;
        int n1k = args.length > 2 ? Integer.parseInt(args[2]) : 300_000;
        Path dir = Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), "weir-netpath-");
        List<String> summary = new ArrayList<>();
        try (EmbeddedBroker broker = EmbeddedBroker.open(Map.of(
                        "log.dirs", dir.toString(),
                        "listeners", "PLAINTEXT://127.0.0.1:0",
                        "log.flush.policy", "os"));
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String inProcess = broker.bootstrapServers();
            String network = broker.networkBootstrapServers();
            System.out.println("in-process: " + inProcess + ", network: " + network);
            for (int bytes : List.of(100, 1024)) {
                int records = bytes == 100 ? n100 : n1k;
                String size = bytes == 100 ? "100 B" : "1 KB";
                produce(admin, inProcess, "warmup-in-" + bytes, records / 4, bytes);
                produce(admin, network, "warmup-net-" + bytes, records / 4, bytes);
                double[] inRate = new double[runs];
                double[] netRate = new double[runs];
                double[] inP99 = new double[runs];
                double[] netP99 = new double[runs];
                for (int r = 0; r < runs; r++) {
                    for (boolean net : r % 2 == 0 ? new boolean[] {false, true} : new boolean[] {true, false}) {
                        Run run = produce(
                                admin,
                                net ? network : inProcess,
                                (net ? "net-" : "in-") + bytes + "-" + r,
                                records,
                                bytes);
                        (net ? netRate : inRate)[r] = run.recordsPerSec();
                        (net ? netP99 : inP99)[r] = run.p99Ms();
                        System.out.printf(
                                Locale.ROOT,
                                "  %s run %d %-10s %,12.0f rec/s %8.1f MB/s p99 %8.2f ms%n",
                                size,
                                r,
                                net ? "network" : "in-process",
                                run.recordsPerSec(),
                                run.recordsPerSec() * bytes / (1024 * 1024),
                                run.p99Ms());
                    }
                }
                double[] ratio = new double[runs];
                for (int r = 0; r < runs; r++) {
                    ratio[r] = netRate[r] / inRate[r];
                }
                summary.add(String.format(
                        Locale.ROOT,
                        "RESULT %-5s Weir's producer, acks=all idempotent: in-process %s rec/s (p99 %s ms) | network %s"
                                + " rec/s (p99 %s ms) | network ÷ in-process %s (%d pairs)",
                        size,
                        Spread.of(inRate, "%,.0f"),
                        Spread.of(inP99, "%.2f"),
                        Spread.of(netRate, "%,.0f"),
                        Spread.of(netP99, "%.2f"),
                        Spread.of(ratio, "%.2f"),
                        runs));
            }
        } finally {
            delete(dir);
        }
        summary.forEach(System.out::println);
    }

    /** {@code records} records of {@code bytes} random bytes to a new one-partition topic, then deletes it. */
    private static Run produce(Admin admin, String bootstrap, String topic, int records, int bytes) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1))).all().get(30, TimeUnit.SECONDS);
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        byte[] value = new byte[bytes];
        new Random(7).nextBytes(value);
        AtomicLong failures = new AtomicLong();
        Histogram latency = new Histogram(60_000_000_000L, 3);
        long start = System.nanoTime();
        try (Producer<byte[], byte[]> producer =
                Producer.create(props, new ByteArraySerializer(), new ByteArraySerializer())) {
            for (int i = 0; i < records; i++) {
                long sent = System.nanoTime();
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    } else {
                        latency.recordValue(Math.max(0, System.nanoTime() - sent));
                    }
                });
            }
            producer.flush();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        if (failures.get() > 0) {
            throw new IllegalStateException(failures.get() + " of " + records + " sends to " + topic + " failed");
        }
        return new Run(records / seconds, latency.getValueAtPercentile(99) / 1e6);
    }

    private static void delete(Path dir) throws Exception {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
