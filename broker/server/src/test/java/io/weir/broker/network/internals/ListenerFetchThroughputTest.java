package io.weir.broker.network.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.network.ListenerConfig;
import io.weir.common.protocol.BrokerApi;
import java.lang.management.ManagementFactory;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

/**
 * A measurement, not a check (runs only with {@code -Dsoak}): a KafkaConsumer reads a topic of 1 KB records
 * through the listener from the beginning, alternately through a listener that sends the batches from the segment
 * files ({@link FileFetch}) and one that reads them into the heap, and prints MB/s, the process's CPU time and the
 * bytes the JVM's threads allocated while reading (broker and consumer share the JVM, so both are in the figures).
 * Fetch sessions made no difference to such bulk reads (measured before the file path existed), so both use them.
 */
@EnabledIfSystemProperty(named = "soak", matches = ".*")
class ListenerFetchThroughputTest {
    private static final int PARTITIONS = 32;
    private static final int RECORD_BYTES = 1024;
    private static final long TOTAL_BYTES = Long.getLong("weir.fetch.bench.bytes", 256L << 20);

    @TempDir
    Path dir;

    @Test
    void consumerReadsALargeTopicThroughTheListener() throws Exception {
        Properties props = new Properties();
        props.put("log.dirs", dir.toString());
        long records = TOTAL_BYTES / RECORD_BYTES;
        try (EmbeddedBroker broker = EmbeddedBroker.open(props)) {
            ListenerConfig base = ListenerConfig.parse(List.of("PLAINTEXT://127.0.0.1:0"), List.of(), 1 << 20);
            // The broker's own BrokerApi is also its FileFetch: batches go to the socket from the segment files.
            // Behind a plain BrokerApi the listener reads them into the heap, as before the file read path existed.
            BrokerApi api = broker.api();
            BrokerApi heapOnly = (BrokerApi) Proxy.newProxyInstance(
                    BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, method, args) -> {
                        try {
                            return method.invoke(api, args);
                        } catch (InvocationTargetException e) {
                            throw e.getCause();
                        }
                    });
            try (KafkaListener files = KafkaListener.start(base, api, 0, "bench");
                    KafkaListener heap = KafkaListener.start(base, heapOnly, 0, "bench")) {
                String filesBootstrap = "127.0.0.1:" + files.boundAddress().getPort();
                String heapBootstrap = "127.0.0.1:" + heap.boundAddress().getPort();
                produce(filesBootstrap, records);
                for (int round = 0; round < 2; round++) {
                    report("heap copy   ", read(heapBootstrap, records));
                    report("file regions", read(filesBootstrap, records));
                }
            }
        }
    }

    /** @param consumerAllocated what the consumer's thread (this one: the classic consumer polls on it) allocated */
    private record Reading(long bytes, long nanos, long cpuNanos, long allocated, long consumerAllocated) {}

    private static void report(String what, Reading r) {
        double seconds = r.nanos / 1e9;
        System.out.printf(
                "fetch through the listener, %s: %.1f MB/s, CPU %.2f s for %.0f MB (%.2f CPU-s per GB), "
                        + "allocated %.0f MB (%.2f bytes per byte read; the broker's threads %.2f)%n",
                what,
                r.bytes / 1e6 / seconds,
                r.cpuNanos / 1e9,
                r.bytes / 1e6,
                r.cpuNanos / 1e9 / (r.bytes / 1e9),
                r.allocated / 1e6,
                (double) r.allocated / r.bytes,
                (double) (r.allocated - r.consumerAllocated) / r.bytes);
    }

    private static void produce(String bootstrap, long records) throws Exception {
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap))) {
            admin.createTopics(List.of(new NewTopic("big", PARTITIONS, (short) 1)))
                    .all()
                    .get();
        }
        Map<String, Object> p = Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                ByteArraySerializer.class.getName(),
                ProducerConfig.LINGER_MS_CONFIG,
                "5",
                ProducerConfig.BATCH_SIZE_CONFIG,
                String.valueOf(256 * 1024),
                ProducerConfig.ACKS_CONFIG,
                "1");
        byte[] value = new byte[RECORD_BYTES];
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
            for (long i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>("big", (int) (i % PARTITIONS), null, value));
            }
            producer.flush();
        }
    }

    private static Reading read(String bootstrap, long records) {
        Map<String, Object> p = Map.of(
                ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG,
                bootstrap,
                ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG,
                ByteArrayDeserializer.class.getName(),
                ConsumerConfig.GROUP_PROTOCOL_CONFIG,
                "classic");
        List<TopicPartition> all = new ArrayList<>();
        for (int i = 0; i < PARTITIONS; i++) {
            all.add(new TopicPartition("big", i));
        }
        var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            consumer.assign(all);
            consumer.seekToBeginning(all);
            long allocatedBefore = allocated(threads);
            long consumerBefore = threads.getCurrentThreadAllocatedBytes();
            long cpuBefore = os.getProcessCpuTime();
            long start = System.nanoTime();
            long got = 0;
            long bytes = 0;
            long deadline = start + Duration.ofMinutes(3).toNanos();
            while (got < records && System.nanoTime() < deadline) {
                for (var r : consumer.poll(Duration.ofMillis(100))) {
                    got++;
                    bytes += r.serializedValueSize();
                }
            }
            long nanos = System.nanoTime() - start;
            assertEquals(records, got);
            return new Reading(
                    bytes,
                    nanos,
                    os.getProcessCpuTime() - cpuBefore,
                    allocated(threads) - allocatedBefore,
                    threads.getCurrentThreadAllocatedBytes() - consumerBefore);
        }
    }

    /** What the live threads allocated so far (threads that ended meanwhile are missed: none should). */
    private static long allocated(com.sun.management.ThreadMXBean threads) {
        long sum = 0;
        for (long a : threads.getThreadAllocatedBytes(threads.getAllThreadIds())) {
            sum += Math.max(0, a);
        }
        return sum;
    }
}
