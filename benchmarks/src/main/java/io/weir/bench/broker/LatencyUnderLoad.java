package io.weir.bench.broker;

import io.weir.bench.GcPauses;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.common.serialization.ByteArraySerializer;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * Issue 19 §3, latency under load: per run, the peak rate of 100 B records to one partition with the clients'
 * default settings and a consumer reading alongside (after a warm-up run of the same), then a run paced at a
 * fraction of it (50 % by default),
 * printing the p50 / p99 / p99.9 of send-to-acknowledgement and send-to-consumer latency. Latency is measured
 * from the moment {@code send} is called; the sender stamps that instant into the record's value, and the
 * consumer, in the same JVM, subtracts it from its own clock when the record arrives. The first fifth of the
 * paced records warm up and are not counted. Repeated; medians with the min–max spread.
 */
final class LatencyUnderLoad {
    private static final int RECORD_BYTES = 100;
    /**
     * {@code weir.bench.latency.consumer=false} leaves the consumer out (send-to-consumer latency is then not measured):
     * three fewer busy threads (the consumer's, the broker's fetch thread and its timer), to see what they cost the
     * acknowledgement's latency on a small machine.
     */
    private static final boolean WITH_CONSUMER =
            Boolean.parseBoolean(System.getProperty("weir.bench.latency.consumer", "true"));
    /**
     * {@code weir.bench.latency.dump=<file>}: writes each counted paced record's send time (ms of JVM uptime, the
     * clock of {@code -Xlog}'s {@code uptime} decoration) and send-to-ack latency (µs), one per line, so the tail can be
     * set against the GC and safepoint log. Each paced run overwrites it: the last run's records remain.
     */
    private static final String DUMP = System.getProperty("weir.bench.latency.dump");
    /** {@code weir.bench.latency.rate}: pace at this many records/s instead of the fraction of the measured peak. */
    private static final double FIXED_RATE = Double.parseDouble(System.getProperty("weir.bench.latency.rate", "0"));

    private LatencyUnderLoad() {}

    static void run(int repeats, int peakRecords, double pacedSeconds, List<Double> fractions, String flushPolicy)
            throws Exception {
        // Per fraction: peak, paced rate, then ack and consumer p50 / p99 / p99.9, one value per run.
        Map<Double, List<List<Double>>> table = new java.util.LinkedHashMap<>();
        for (double fraction : fractions) {
            List<List<Double>> columns = new ArrayList<>();
            for (int i = 0; i < 8; i++) {
                columns.add(new ArrayList<>());
            }
            table.put(fraction, columns);
        }
        for (int run = 0; run < repeats; run++) {
            Path dir = EndToEndBenchmark.dataDir();
            try (EmbeddedBroker broker = EndToEndBenchmark.broker(dir, flushPolicy)) {
                try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                    List<NewTopic> topics =
                            new ArrayList<>(List.of(new NewTopic("warmup", 1), new NewTopic("peak", 1)));
                    for (double fraction : fractions) {
                        topics.add(new NewTopic(pacedTopic(fraction), 1));
                    }
                    admin.createTopics(topics).all().get();
                }
                Properties defaults = new Properties();
                defaults.put("bootstrap.servers", broker.bootstrapServers());
                Histogram ack = new ConcurrentHistogram(60_000_000_000L, 3);
                Histogram e2e = new Histogram(60_000_000_000L, 3);
                // Unpaced, with the consumer reading alongside: the peak of the same workload, once to warm up.
                paced(defaults, "warmup", Double.POSITIVE_INFINITY, peakRecords / 2, ack, e2e, false);
                double peak = paced(defaults, "peak", Double.POSITIVE_INFINITY, peakRecords, ack, e2e, true);
                for (double fraction : fractions) {
                    ack.reset();
                    e2e.reset();
                    double target = FIXED_RATE > 0 ? FIXED_RATE : peak * fraction;
                    double achieved = paced(
                            defaults, pacedTopic(fraction), target, (long) (target * pacedSeconds), ack, e2e, false);
                    double[] row = {
                        peak,
                        achieved,
                        ack.getValueAtPercentile(50) / 1e6,
                        ack.getValueAtPercentile(99) / 1e6,
                        ack.getValueAtPercentile(99.9) / 1e6,
                        e2e.getValueAtPercentile(50) / 1e6,
                        e2e.getValueAtPercentile(99) / 1e6,
                        e2e.getValueAtPercentile(99.9) / 1e6
                    };
                    for (int i = 0; i < row.length; i++) {
                        table.get(fraction).get(i).add(row[i]);
                    }
                    System.out.printf(
                            Locale.ROOT,
                            "  run %d: peak %,.0f rec/s, paced at %.0f%%: %,.0f rec/s; ack p50 %.3f p99 %.3f p99.9 %.3f"
                                    + " ms; consumer p50 %.3f p99 %.3f p99.9 %.3f ms%n",
                            run + 1,
                            row[0],
                            fraction * 100,
                            row[1],
                            row[2],
                            row[3],
                            row[4],
                            row[5],
                            row[6],
                            row[7]);
                }
            } finally {
                EndToEndBenchmark.delete(dir);
            }
        }
        for (Map.Entry<Double, List<List<Double>>> entry : table.entrySet()) {
            List<List<Double>> columns = entry.getValue();
            System.out.printf(
                    Locale.ROOT,
                    "latency at %.0f%% of peak, 100 B, 1p, default clients, flush=%s: peak %s rec/s, paced %s rec/s%n",
                    entry.getKey() * 100,
                    flushPolicy,
                    Stats.medianAndSpread(columns.get(0), "%,.0f"),
                    Stats.medianAndSpread(columns.get(1), "%,.0f"));
            printPercentiles("send-to-ack ms:     ", columns.subList(2, 5));
            printPercentiles("send-to-consumer ms:", columns.subList(5, 8));
        }
    }

    /** One line: the medians and spreads of p50, p99 and p99.9 over the runs. */
    private static void printPercentiles(String what, List<List<Double>> p50p99p999) {
        System.out.printf(
                Locale.ROOT,
                "  %s p50 %s  p99 %s  p99.9 %s%n",
                what,
                Stats.medianAndSpread(p50p99p999.get(0), "%.3f"),
                Stats.medianAndSpread(p50p99p999.get(1), "%.3f"),
                Stats.medianAndSpread(p50p99p999.get(2), "%.3f"));
    }

    private static void printAllocation(Map<String, Long> byThread, long records) {
        long consumer = byThread.getOrDefault("latency-consumer", 0L) + byThread.getOrDefault("weir-fetch-N", 0L);
        long producer = byThread.getOrDefault("main", 0L)
                + byThread.getOrDefault("weir-producer-sender", 0L)
                + byThread.getOrDefault("weir-append-N", 0L);
        System.out.printf(
                Locale.ROOT,
                "  allocated per record at peak: consumer side %.1f B (consumer thread %.1f, broker fetch threads %.1f),"
                        + " producer side %.1f B (sending thread %.1f, sender %.1f, append %.1f), all threads %.1f B%n",
                (double) consumer / records,
                (double) byThread.getOrDefault("latency-consumer", 0L) / records,
                (double) byThread.getOrDefault("weir-fetch-N", 0L) / records,
                (double) producer / records,
                (double) byThread.getOrDefault("main", 0L) / records,
                (double) byThread.getOrDefault("weir-producer-sender", 0L) / records,
                (double) byThread.getOrDefault("weir-append-N", 0L) / records,
                (double) byThread.values().stream().mapToLong(Long::longValue).sum() / records);
        StringBuilder rest = new StringBuilder("   by thread:");
        byThread.forEach((name, bytes) -> {
            if (bytes >= records) {
                rest.append(String.format(Locale.ROOT, " %s %.1f", name, (double) bytes / records));
            }
        });
        System.out.println(rest);
    }

    private static String pacedTopic(double fraction) {
        return "paced-" + Math.round(fraction * 1000);
    }

    /**
     * Sends {@code total} records to partition 0 of {@code topic} at {@code rate} per second (infinite: as fast as
     * the producer takes them) while a consumer reads them; returns the rate at which they were sent and read. With
     * {@code reportAllocation}, prints the bytes allocated per record by each side's threads (the consumer's own
     * thread, which also deserializes, and the broker's fetch threads; the sending thread, the producer's sender and
     * the append thread), the benchmark's own objects included: per record a 100-byte value array (120 bytes), a
     * {@code ProducerRecord} (40) and a callback (32) when sending, and a {@code ByteBuffer} wrapping the value (48)
     * when reading; the value array the deserializer makes (120) is the user's own object too.
     */
    private static double paced(
            Properties defaults,
            String topic,
            double rate,
            long total,
            Histogram ack,
            Histogram e2e,
            boolean reportAllocation)
            throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        long warmup = total / 5;
        LatencyDump dump = DUMP != null && Double.isFinite(rate) ? new LatencyDump(total - warmup) : null;
        AtomicLong failures = new AtomicLong();
        Properties consumerProps = new Properties();
        consumerProps.put("bootstrap.servers", defaults.getProperty("bootstrap.servers"));
        try (Producer<byte[], byte[]> producer =
                        Producer.create(defaults, new ByteArraySerializer(), new ByteArraySerializer());
                Consumer<byte[], byte[]> consumer =
                        Consumer.create(consumerProps, new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            consumer.position(tp);
            Throwable[] consumerFailure = new Throwable[1];
            long[] consumerAllocated = new long[1];
            Map<Long, Long> allocatedBefore = GcPauses.allocatedBytes();
            Thread reader = new Thread(
                    () -> {
                        long allocatedAtStart = GcPauses.currentThreadAllocatedBytes();
                        try {
                            long seen = 0;
                            while (seen < total) {
                                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
                                    long now = System.nanoTime();
                                    if (seen++ >= warmup) {
                                        e2e.recordValue(Math.max(
                                                0,
                                                now
                                                        - ByteBuffer.wrap(record.value())
                                                                .getLong(0)));
                                    }
                                }
                            }
                        } catch (Throwable t) {
                            consumerFailure[0] = t;
                        }
                        consumerAllocated[0] = GcPauses.currentThreadAllocatedBytes() - allocatedAtStart;
                    },
                    "latency-consumer");
            if (WITH_CONSUMER) {
                reader.start();
            }
            long start = System.nanoTime();
            double intervalNanos = 1e9 / rate;
            for (long i = 0; i < total; i++) {
                long due = start + (long) (i * intervalNanos);
                long now;
                while ((now = System.nanoTime()) < due) {
                    // Park rather than spin: the machine's two cores also run the broker and the consumer.
                    LockSupport.parkNanos(Math.min(due - now, 50_000));
                }
                byte[] value = new byte[RECORD_BYTES];
                ByteBuffer.wrap(value).putLong(0, now);
                boolean counted = i >= warmup;
                long sent = now;
                producer.send(new ProducerRecord<>(topic, 0, null, value), (metadata, error) -> {
                    if (error != null) {
                        failures.incrementAndGet();
                    } else if (counted) {
                        long latency = Math.max(0, System.nanoTime() - sent);
                        ack.recordValue(latency);
                        if (dump != null) {
                            dump.record(sent, latency);
                        }
                    }
                });
            }
            producer.flush();
            if (WITH_CONSUMER) {
                reader.join(TimeUnit.SECONDS.toMillis(60));
            }
            double achieved = total / ((System.nanoTime() - start) / 1e9);
            if (dump != null) {
                dump.write(Path.of(DUMP)); // after the rate is taken: writing millions of lines takes seconds
            }
            if (reportAllocation) {
                Map<String, Long> byThread = GcPauses.allocatedSinceByThread(allocatedBefore);
                byThread.put("latency-consumer", consumerAllocated[0]);
                printAllocation(byThread, total);
            }
            if (reader.isAlive() || consumerFailure[0] != null) {
                throw new IllegalStateException("the consumer did not read every paced record", consumerFailure[0]);
            }
            if (failures.get() > 0) {
                throw new IllegalStateException(failures.get() + " paced sends failed");
            }
            return achieved;
        }
    }

    /** Send times and latencies of one paced run, kept in arrays (the callbacks run on the producer's sender thread). */
    private static final class LatencyDump {
        private final long[] sentNanos;
        private final long[] latencyNanos;
        private int size;
        /** nanoTime at JVM start, so that a send time converts to the uptime the JVM's logs print. */
        private final long startNanos = System.nanoTime()
                - java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime() * 1_000_000L;

        LatencyDump(long capacity) {
            sentNanos = new long[(int) capacity];
            latencyNanos = new long[(int) capacity];
        }

        void record(long sent, long latency) {
            if (size < sentNanos.length) {
                sentNanos[size] = sent;
                latencyNanos[size++] = latency;
            }
        }

        void write(Path file) throws java.io.IOException {
            try (java.io.PrintWriter out = new java.io.PrintWriter(java.nio.file.Files.newBufferedWriter(file))) {
                for (int i = 0; i < size; i++) {
                    out.printf(Locale.ROOT, "%.3f %d%n", (sentNanos[i] - startNanos) / 1e6, latencyNanos[i] / 1000);
                }
            }
        }
    }
}
