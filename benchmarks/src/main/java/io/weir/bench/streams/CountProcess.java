package io.weir.bench.streams;

import io.weir.clients.consumer.Consumer;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.ByteArrayDeserializer;
import io.weir.streams.StreamsConfig;
import io.weir.streams.WeirStreams;
import io.weir.streams.processor.StateRestoreListener;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The count application {@link StreamsRecoveryBenchmark} runs in a child JVM and kills with SIGKILL: one state
 * directory holds its stores and its embedded broker, {@code exactly_once_v2} with 100 ms commits.
 *
 * <pre>
 * CountProcess &lt;state-dir&gt; load|resume|finish &lt;keys&gt; &lt;records&gt;
 * </pre>
 * {@code load} first writes {@code records} input records over {@code keys} keys (round-robin, so every key is in the
 * store after the first {@code keys} records). Every mode prints {@code OPENED <s>} (the constructor, which opens the
 * broker and recovers its log after a kill), {@code RUNNING <start→RUNNING s> <changelog records replayed>}, then
 * {@code PROCESSED <n>} every 20 ms (records through the topology since this start). {@code finish} then reads the
 * output to the end and prints {@code RESULT OK} if every key's latest committed count is {@code records / keys},
 * else {@code RESULT MISMATCH ...}, and exits; the others run until killed.
 */
public final class CountProcess {
    static final String APPLICATION = "recovery-bench";

    private CountProcess() {}

    public static void main(String[] args) throws Exception {
        CountWorkload.quietLogs();
        Path dir = Path.of(args[0]);
        String mode = args[1];
        int keyCount = Integer.parseInt(args[2]);
        long records = Long.parseLong(args[3]);
        AtomicLong processed = new AtomicLong();
        AtomicLong replayed = new AtomicLong();
        long opening = System.nanoTime();
        try (WeirStreams streams = new WeirStreams(
                CountWorkload.topology(processed),
                CountWorkload.props(dir, APPLICATION, StreamsConfig.EXACTLY_ONCE_V2, 100L))) {
            say("OPENED %.3f", (System.nanoTime() - opening) / 1e9);
            String bootstrap = streams.bootstrapServers();
            if (mode.equals("load")) {
                CountWorkload.createTopics(bootstrap, CountWorkload.INPUT, CountWorkload.OUTPUT);
                double seconds = CountWorkload.produce(bootstrap, CountWorkload.keys(keyCount), 0, records);
                say("LOADED %,d records in %.1f s", records, seconds);
            }
            streams.setGlobalStateRestoreListener(new StateRestoreListener() {
                @Override
                public void onRestoreEnd(TopicPartition partition, String store, long total) {
                    replayed.addAndGet(total);
                }
            });
            CountDownLatch running = new CountDownLatch(1);
            streams.setStateListener((now, before) -> {
                if (now == WeirStreams.State.RUNNING) {
                    running.countDown();
                }
            });
            long t0 = System.nanoTime();
            streams.start();
            if (!running.await(10, TimeUnit.MINUTES)) {
                throw new IllegalStateException("Not RUNNING after 10 minutes");
            }
            say("RUNNING %.3f %d %d", (System.nanoTime() - t0) / 1e9, replayed.get(), changelogEnd(bootstrap));
            Thread progress = new Thread(
                    () -> {
                        while (!Thread.currentThread().isInterrupted()) {
                            say("PROCESSED %d", processed.get());
                            try {
                                Thread.sleep(20);
                            } catch (InterruptedException e) {
                                return;
                            }
                        }
                    },
                    "progress");
            progress.setDaemon(true);
            progress.start();
            if (!mode.equals("finish")) {
                Thread.sleep(TimeUnit.MINUTES.toMillis(30)); // until killed
                return;
            }
            say(verify(bootstrap, keyCount, records));
            progress.interrupt();
        }
    }

    /** Reads the committed output to where every key's count is final, or fails after 10 minutes. */
    private static String verify(String bootstrap, int keyCount, long records) {
        long perKey = records / keyCount;
        CountWorkload.LatestCounts counts = new CountWorkload.LatestCounts();
        try (Consumer<String, Long> reader = CountWorkload.committedReader(bootstrap, CountWorkload.OUTPUT)) {
            long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (counts.add(reader.poll(Duration.ofMillis(100))) < records && System.nanoTime() < deadline) {
                // reading
            }
        }
        long wrong = counts.latest().values().stream().filter(c -> c != perKey).count();
        return counts.sum() == records && counts.keys() == keyCount && wrong == 0
                ? "RESULT OK"
                : String.format(
                        Locale.ROOT,
                        "RESULT MISMATCH sum %d of %d, keys %d of %d, %d keys with a count other than %d",
                        counts.sum(),
                        records,
                        counts.keys(),
                        keyCount,
                        wrong,
                        perKey);
    }

    /** The store changelog's end offsets, summed over its partitions (records and commit markers). */
    private static long changelogEnd(String bootstrap) {
        List<TopicPartition> partitions = new ArrayList<>();
        for (int p = 0; p < CountWorkload.PARTITIONS; p++) {
            partitions.add(new TopicPartition(APPLICATION + "-" + CountWorkload.STORE + "-changelog", p));
        }
        try (Consumer<byte[], byte[]> consumer = Consumer.create(
                Map.of("bootstrap.servers", bootstrap), new ByteArrayDeserializer(), new ByteArrayDeserializer())) {
            return consumer.endOffsets(partitions).values().stream()
                    .mapToLong(Long::longValue)
                    .sum();
        }
    }

    private static void say(String format, Object... args) {
        System.out.println(String.format(Locale.ROOT, format, args));
        System.out.flush();
    }
}
