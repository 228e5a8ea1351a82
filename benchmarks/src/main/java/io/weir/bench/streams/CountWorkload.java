package io.weir.bench.streams;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongUnaryOperator;
import java.util.stream.Stream;

/**
 * The workload of Kafka Streams' {@code CountBench} ({@code ../shared/peer/streams/.../CountBench.java}), shared by
 * the streams runners: keyed input records ({@code k<n>} keys, 100-byte string values, written round-robin over the
 * keys by an idempotent {@code acks=all} producer with {@code linger.ms=10}, {@code batch.size=64 KiB}), a topology
 * {@code stream → peek (counts records) → groupByKey → count (store "counts") → toStream → to(output)}, and a
 * {@code read_committed} reader that follows the output's latest count per key.
 *
 * <p>The application runs on the embedded broker {@code WeirStreams} opens on {@code <state.dir>/broker} when it is
 * given no {@code bootstrap.servers}. Its flush policy is the broker's default, {@code os} (Kafka's: no fsync per
 * write), unless {@code -Dweir.bench.flush=every-batch|interval} says otherwise.
 */
final class CountWorkload {
    static final String INPUT = "count-in";
    static final String OUTPUT = "count-out";
    static final String STORE = "counts";
    static final int PARTITIONS = 4;
    static final int VALUE_BYTES = 100;

    private CountWorkload() {}

    /** Sends the runtime's INFO lines (a line per task and state change) away, unless the command line asks. */
    static void quietLogs() {
        if (System.getProperty("org.slf4j.simpleLogger.defaultLogLevel") == null) {
            System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
        }
    }

    /** The load averages, as a reminder that this 2-core machine is shared. */
    static String machineLoad() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).split(" ");
            return "load average " + f[0] + " " + f[1] + " " + f[2];
        } catch (java.io.IOException e) {
            return "load average unknown";
        }
    }

    /** The broker's flush policy for every run of this process. */
    static String flushPolicy() {
        return System.getProperty("weir.bench.flush", "os");
    }

    /** The key of record {@code i}: CountBench's {@code k%05d}, wider when there are more keys. */
    static String[] keys(int count) {
        int width = Math.max(5, Integer.toString(count - 1).length());
        String[] keys = new String[count];
        for (int i = 0; i < count; i++) {
            keys[i] = "k" + "0".repeat(width - Integer.toString(i).length()) + i;
        }
        return keys;
    }

    /** Settings of a count application on a fresh embedded broker in {@code stateDir}. */
    static Properties props(Path stateDir, String applicationId, String guarantee, Long commitIntervalMs) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, applicationId);
        props.put(StreamsConfig.STATE_DIR_CONFIG, stateDir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, guarantee);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.BROKER_PREFIX + "log.flush.policy", flushPolicy());
        if (commitIntervalMs != null) {
            props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, commitIntervalMs);
        }
        return props;
    }

    /** The count topology; {@code processed} counts the records that entered it. */
    static Topology topology(AtomicLong processed) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(INPUT, Consumed.with(Serdes.String(), Serdes.String()))
                .peek((k, v) -> processed.incrementAndGet())
                .groupByKey()
                .count(Materialized.as(STORE))
                .toStream()
                .to(OUTPUT, Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    static void createTopics(String bootstrap, String... topics) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            List<NewTopic> create = new ArrayList<>();
            for (String topic : topics) {
                create.add(new NewTopic(topic, PARTITIONS));
            }
            admin.createTopics(create).all().get(60, TimeUnit.SECONDS);
        }
    }

    /**
     * Writes records {@code from} (inclusive) to {@code to} (exclusive), record {@code i} keyed {@code keys[i %
     * keys.length]}, as CountBench's producer does.
     *
     * @return seconds taken
     */
    static double produce(String bootstrap, String[] keys, long from, long to) {
        return produce(bootstrap, INPUT, keys, from, to, null);
    }

    /**
     * As {@link #produce(String, String[], long, long)}, to {@code topic}, record {@code i} stamped
     * {@code timestamps.applyAsLong(i)} (null: the producer's clock). Works against any broker the clients reach:
     * the embedded one, or Kafka's through the network clients.
     */
    static double produce(
            String bootstrap, String topic, String[] keys, long from, long to, LongUnaryOperator timestamps) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("enable.idempotence", "true");
        props.put("linger.ms", "10");
        props.put("batch.size", "65536");
        char[] value = new char[VALUE_BYTES];
        Arrays.fill(value, 'x');
        AtomicReference<Exception> failure = new AtomicReference<>();
        long start = System.nanoTime();
        try (Producer<String, String> producer =
                Producer.create(props, new StringSerializer(), new StringSerializer())) {
            for (long i = from; i < to; i++) {
                long n = i;
                for (int d = 10; d >= 0; d--) { // CountBench's %011d, then the padding
                    value[d] = (char) ('0' + n % 10);
                    n /= 10;
                }
                Long timestamp = timestamps == null ? null : timestamps.applyAsLong(i);
                ProducerRecord<String, String> record =
                        new ProducerRecord<>(topic, null, timestamp, keys[(int) (i % keys.length)], new String(value));
                producer.send(record, (m, e) -> {
                    if (e != null) {
                        failure.compareAndSet(null, e);
                    }
                });
            }
            producer.flush();
        }
        if (failure.get() != null) {
            throw new IllegalStateException("Writing the input failed", failure.get());
        }
        return (System.nanoTime() - start) / 1e9;
    }

    /**
     * A {@code read_committed} reader of {@code topic} from its beginning, assigned every partition and positioned
     * before it returns (as CountBench's verifier, so its first fetch is not part of what is timed).
     */
    static Consumer<String, Long> committedReader(String bootstrap, String topic) {
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", bootstrap);
        props.put("isolation.level", "read_committed");
        props.put("auto.offset.reset", "earliest");
        props.put("enable.auto.commit", "false");
        Consumer<String, Long> reader = Consumer.create(props, new StringDeserializer(), new LongDeserializer());
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < PARTITIONS; p++) {
            partitions.add(new TopicPartition(topic, p));
        }
        reader.assign(partitions);
        reader.seekToBeginning(partitions);
        reader.poll(Duration.ZERO);
        return reader;
    }

    /** The latest count of every key seen on the output, and their sum: the input records they account for. */
    static final class LatestCounts {
        private final Map<String, Long> latest = new HashMap<>();
        private long sum;
        private long records;

        /** Takes one poll's records; returns the sum of the latest counts. */
        long add(Iterable<ConsumerRecord<String, Long>> polled) {
            for (ConsumerRecord<String, Long> r : polled) {
                Long previous = latest.put(r.key(), r.value());
                sum += r.value() - (previous == null ? 0 : previous);
                records++;
            }
            return sum;
        }

        long sum() {
            return sum;
        }

        int keys() {
            return latest.size();
        }

        long records() {
            return records;
        }

        Map<String, Long> latest() {
            return latest;
        }
    }

    static Path tempDir(String prefix) throws Exception {
        return Files.createTempDirectory(
                Path.of(System.getProperty("weir.bench.dir", System.getProperty("java.io.tmpdir"))), prefix);
    }

    static void delete(Path dir) throws Exception {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Median, minimum and maximum of {@code values}. */
    record Spread(double median, double min, double max) {
        static Spread of(List<Double> values) {
            double[] sorted =
                    values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
            int n = sorted.length;
            double median = n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
            return new Spread(median, sorted[0], sorted[n - 1]);
        }
    }
}
