package io.weir.bench.broker;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;

/**
 * Issue 19 §4, durable writes at disk speed: per run, first the device's own sequential write rate on the data
 * directory's file system (1 GiB in 1 MiB writes, then one {@code fdatasync}), then 1 KB records produced with
 * {@code acks=all} to a broker under {@code log.flush.policy=every-batch} (every acknowledgement after the sync
 * that covers it), and their ratio; then the same under {@code os} (no sync), which shows what the rest of the
 * path (clients, CRCs, copies, on this machine's cores) allows. Repeated; medians with the min–max spread. The client settings are the
 * ones the README recommends for durable throughput ({@link #durableClient}).
 */
final class DurableWrites {
    private static final long DEVICE_BYTES = 1L << 30;
    private static final int DEVICE_WRITE = 1 << 20;
    private static final int RECORD_BYTES = 1024;

    private DurableWrites() {}

    /** The client settings a durable producer needs to keep the disk busy (README, "Durable writes"). */
    static Properties durableClient(String bootstrap) {
        Properties props = new Properties();
        props.put("bootstrap.servers", bootstrap);
        props.put("acks", "all");
        props.put("linger.ms", System.getProperty("weir.bench.durable.linger.ms", "5"));
        props.put("batch.size", System.getProperty("weir.bench.durable.batch.size", Integer.toString(1 << 20)));
        props.put("max.in.flight.requests.per.connection", "5");
        props.put("buffer.memory", System.getProperty("weir.bench.durable.buffer.memory", Long.toString(64L << 20)));
        return props;
    }

    static void run(int repeats, int records, List<Integer> partitionCounts) throws Exception {
        System.out.printf(
                Locale.ROOT,
                "durable writes: 1 KB records, acks=all, flush=every-batch, client %s%n",
                durableClient("…").entrySet().stream()
                        .filter(e -> !e.getKey().equals("bootstrap.servers"))
                        .map(e -> e.getKey() + "=" + e.getValue())
                        .sorted()
                        .toList());
        for (int partitions : partitionCounts) {
            List<Double> device = new ArrayList<>();
            List<Double> durable = new ArrayList<>();
            List<Double> pageCache = new ArrayList<>();
            List<Double> ratios = new ArrayList<>();
            for (int run = 0; run < repeats; run++) {
                Path dir = EndToEndBenchmark.dataDir();
                try {
                    double deviceRate = deviceWriteRate(dir);
                    double rate = produce(dir.resolve("durable"), "every-batch", partitions, records);
                    double osRate = produce(dir.resolve("os"), "os", partitions, records);
                    device.add(deviceRate);
                    durable.add(rate);
                    pageCache.add(osRate);
                    ratios.add(rate / deviceRate);
                    System.out.printf(
                            Locale.ROOT,
                            "  run %d, %dp: device %.0f MB/s, durable produce %.0f MB/s, ratio %.2f"
                                    + " (flush=os, same clients: %.0f MB/s)%n",
                            run + 1,
                            partitions,
                            deviceRate,
                            rate,
                            rate / deviceRate,
                            osRate);
                } finally {
                    EndToEndBenchmark.delete(dir);
                }
            }
            System.out.printf(
                    Locale.ROOT,
                    "durable 1KB %dp: device %s MB/s, produce %s MB/s, ratio %s; flush=os %s MB/s%n",
                    partitions,
                    Stats.medianAndSpread(device, "%.0f"),
                    Stats.medianAndSpread(durable, "%.0f"),
                    Stats.medianAndSpread(ratios, "%.2f"),
                    Stats.medianAndSpread(pageCache, "%.0f"));
        }
    }

    /** MB/s (2^20 bytes) of 1 GiB written sequentially in 1 MiB writes, with one fdatasync at the end. */
    static double deviceWriteRate(Path dir) throws Exception {
        Path file = dir.resolve("device-write-rate");
        byte[] bytes = new byte[DEVICE_WRITE];
        new Random(11).nextBytes(bytes); // not zeros: a file system or device could treat those specially
        ByteBuffer buffer = ByteBuffer.allocateDirect(DEVICE_WRITE);
        buffer.put(bytes).flip();
        long start = System.nanoTime();
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            for (long written = 0; written < DEVICE_BYTES; written += DEVICE_WRITE) {
                buffer.rewind();
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
            }
            channel.force(false);
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        Files.delete(file);
        return DEVICE_BYTES / seconds / (1 << 20);
    }

    /**
     * MB/s of {@code records} 1 KB records under {@code flushPolicy}: {@code every-batch} acknowledges after the
     * sync; {@code os}, with the same clients, shows what the rest of the path allows without syncing.
     */
    private static double produce(Path dir, String flushPolicy, int partitions, int records) throws Exception {
        try (EmbeddedBroker broker = EndToEndBenchmark.broker(dir, flushPolicy)) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
                admin.createTopics(List.of(new NewTopic("warmup", partitions), new NewTopic("bench", partitions)))
                        .all()
                        .get();
            }
            Properties props = durableClient(broker.bootstrapServers());
            EndToEndBenchmark.produce(props, "warmup", partitions, RECORD_BYTES, Math.max(1, records / 10), null);
            long start = System.nanoTime();
            EndToEndBenchmark.produce(props, "bench", partitions, RECORD_BYTES, records, null);
            double seconds = (System.nanoTime() - start) / 1e9;
            return (double) records * RECORD_BYTES / seconds / (1 << 20);
        }
    }
}
