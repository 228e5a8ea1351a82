package io.weir.bench.broker;

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
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Consumer-group figures on the embedded broker, each repeated and reported as all runs plus the median:
 *
 * <ul>
 *   <li><b>join</b>: one consumer, from {@code subscribe} to its first assignment (what Kafka's
 *       ConsumerPerformance reports as join time);</li>
 *   <li><b>join of 10</b>: ten consumers started together on a 100-partition topic, until every partition is
 *       owned and each member holds 10;</li>
 *   <li><b>failover</b>: in a group of two on 4 partitions, one member crashes (a static member closed, so it
 *       sends no leave: exactly what a dead process looks like); the time until the survivor has read a record
 *       from every one of the crashed member's partitions. Dominated by {@code session.timeout.ms}, which is
 *       printed with it;</li>
 *   <li><b>throughput</b>: records/s of a group of 2 on 4 partitions (each member on its own thread) against one
 *       consumer with manual assignment of the same 4 partitions, both reading the same pre-written records in
 *       the same run; the ratio is the goal (≥ 0.95).</li>
 * </ul>
 *
 * <pre>
 * java -cp benchmarks/target/benchmarks.jar io.weir.bench.broker.GroupBenchmark [repeats] [records]
 * </pre>
 */
public final class GroupBenchmark {
    private static final int SESSION_TIMEOUT_MS = 1_000;
    private static final int HEARTBEAT_MS = 100;

    private GroupBenchmark() {}

    public static void main(String[] args) throws Exception {
        int repeats = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        int records = args.length > 1 ? Integer.parseInt(args[1]) : 2_000_000;
        Properties props = new Properties();
        props.put("group.min.session.timeout.ms", "100");
        props.put("offsets.topic.num.partitions", "50");
        try (EmbeddedBroker broker = EmbeddedBroker.open(props);
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            String servers = broker.bootstrapServers();
            admin.createTopics(List.of(
                            new NewTopic("join", 4, Map.of()),
                            new NewTopic("join100", 100, Map.of()),
                            new NewTopic("failover", 4, Map.of()),
                            new NewTopic("throughput", 4, Map.of())))
                    .all()
                    .get(60, TimeUnit.SECONDS);
            produce(servers, "throughput", records, 100);

            List<Double> join = new ArrayList<>();
            List<Double> join10 = new ArrayList<>();
            List<Double> failover = new ArrayList<>();
            List<Double> ratio = new ArrayList<>();
            for (int r = 0; r < repeats; r++) {
                join.add(joinOne(servers, "join-" + r));
                join10.add(joinTen(servers, "join10-" + r));
                failover.add(failover(servers, "failover-" + r));
                // Alternate which goes first, so neither always gets the warmer JIT or page cache.
                double single;
                double group;
                if (r % 2 == 0) {
                    single = manualThroughput(servers, records);
                    group = groupThroughput(servers, "tp-" + r, records);
                } else {
                    group = groupThroughput(servers, "tp-" + r, records);
                    single = manualThroughput(servers, records);
                }
                ratio.add(group / single);
                System.out.printf(
                        Locale.ROOT,
                        "run %d: join %.1f ms, join of 10 on 100 partitions %.1f ms, failover %.0f ms "
                                + "(session.timeout.ms=%d), group of 2 %.0f rec/s vs manual %.0f rec/s = %.3f%n",
                        r + 1,
                        join.get(r),
                        join10.get(r),
                        failover.get(r),
                        SESSION_TIMEOUT_MS,
                        group,
                        single,
                        group / single);
            }
            System.out.printf(
                    Locale.ROOT,
                    "MEDIAN join %.1f ms | join of 10 %.1f ms | failover %.0f ms | group/manual %.3f%n",
                    median(join),
                    median(join10),
                    median(failover),
                    median(ratio));
        }
    }

    private static Map<String, Object> consumerConfig(String servers, String group) {
        Map<String, Object> c = new HashMap<>();
        c.put("bootstrap.servers", servers);
        c.put("group.id", group);
        c.put("auto.offset.reset", "earliest");
        c.put("session.timeout.ms", Integer.toString(SESSION_TIMEOUT_MS));
        c.put("heartbeat.interval.ms", Integer.toString(HEARTBEAT_MS));
        c.put("enable.auto.commit", "false");
        return c;
    }

    private static Consumer<byte[], byte[]> consumer(Map<String, Object> config) {
        return Consumer.create(config, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static void produce(String servers, String topic, int count, int size) throws Exception {
        try (Producer<byte[], byte[]> producer = Producer.create(
                Map.of("bootstrap.servers", servers, "acks", "1", "linger.ms", "5", "batch.size", "262144"),
                new ByteArraySerializer(),
                new ByteArraySerializer())) {
            byte[] value = new byte[size];
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, i % 4, null, value));
            }
            producer.flush();
        }
    }

    private static double joinOne(String servers, String group) {
        try (Consumer<byte[], byte[]> c = consumer(consumerConfig(servers, group))) {
            long start = System.nanoTime();
            c.subscribe(List.of("join"));
            while (c.assignment().isEmpty()) {
                c.poll(Duration.ofMillis(1));
            }
            return (System.nanoTime() - start) / 1e6;
        }
    }

    private static double joinTen(String servers, String group) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(10);
        Map<Integer, Set<TopicPartition>> owned = new ConcurrentHashMap<>();
        AtomicBoolean stop = new AtomicBoolean();
        CountDownLatch ready = new CountDownLatch(10);
        long start = System.nanoTime();
        AtomicLong settledAt = new AtomicLong();
        List<Future<?>> members = new ArrayList<>();
        for (int m = 0; m < 10; m++) {
            int id = m;
            members.add(pool.submit(() -> {
                Map<String, Object> config = consumerConfig(servers, group);
                config.put("partition.assignment.strategy", "range");
                try (Consumer<byte[], byte[]> c = consumer(config)) {
                    c.subscribe(List.of("join100"));
                    ready.countDown();
                    while (!stop.get()) {
                        c.poll(Duration.ofMillis(5));
                        owned.put(id, c.assignment());
                        if (settled(owned)) {
                            settledAt.compareAndSet(0, System.nanoTime());
                        }
                    }
                }
                return null;
            }));
        }
        while (settledAt.get() == 0) {
            Thread.onSpinWait();
            if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(60)) {
                throw new IllegalStateException("10 members did not settle on 100 partitions in 60 s: " + owned);
            }
        }
        stop.set(true);
        for (Future<?> f : members) {
            f.get();
        }
        pool.shutdown();
        return (settledAt.get() - start) / 1e6;
    }

    /** Every member holds 10 partitions and together they hold all 100. */
    private static boolean settled(Map<Integer, Set<TopicPartition>> owned) {
        if (owned.size() < 10) {
            return false;
        }
        Set<TopicPartition> all = new HashSet<>();
        for (Set<TopicPartition> s : owned.values()) {
            if (s.size() != 10) {
                return false;
            }
            all.addAll(s);
        }
        return all.size() == 100;
    }

    private static double failover(String servers, String group) throws Exception {
        produce(servers, "failover", 400, 10);
        Map<String, Object> dying = consumerConfig(servers, group);
        dying.put("group.instance.id", group + "-dying");
        dying.put("partition.assignment.strategy", "range");
        Map<String, Object> surviving = consumerConfig(servers, group);
        surviving.put("partition.assignment.strategy", "range");
        Consumer<byte[], byte[]> victim = consumer(dying);
        try (Consumer<byte[], byte[]> survivor = consumer(surviving)) {
            victim.subscribe(List.of("failover"));
            survivor.subscribe(List.of("failover"));
            while (victim.assignment().size() != 2 || survivor.assignment().size() != 2) {
                victim.poll(Duration.ofMillis(5));
                survivor.poll(Duration.ofMillis(5));
            }
            Set<TopicPartition> orphaned = victim.assignment();
            victim.close(); // static member: no leave, so the broker finds out from the missing heartbeats
            long failedAt = System.nanoTime();
            Set<Integer> processed = new HashSet<>();
            while (!processed.containsAll(
                    orphaned.stream().map(TopicPartition::partition).toList())) {
                ConsumerRecords<byte[], byte[]> polled = survivor.poll(Duration.ofMillis(5));
                polled.forEach(rec -> processed.add(rec.partition()));
            }
            return (System.nanoTime() - failedAt) / 1e6;
        }
    }

    private static double manualThroughput(String servers, int records) {
        Map<String, Object> config = consumerConfig(servers, "unused");
        config.remove("group.id");
        config.put("max.poll.records", "2000");
        try (Consumer<byte[], byte[]> c = consumer(config)) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                all.add(new TopicPartition("throughput", p));
            }
            c.assign(all);
            c.seekToBeginning(all);
            long start = System.nanoTime();
            long read = 0;
            while (read < records) {
                read += c.poll(Duration.ofMillis(100)).count();
            }
            return read / ((System.nanoTime() - start) / 1e9);
        }
    }

    /** Two members on their own threads; timed from the moment both hold their partitions to the last record. */
    private static double groupThroughput(String servers, String group, int records) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(2);
        AtomicLong read = new AtomicLong();
        CountDownLatch assigned = new CountDownLatch(2);
        CountDownLatch go = new CountDownLatch(1);
        AtomicBoolean stop = new AtomicBoolean();
        List<Future<?>> members = new ArrayList<>();
        for (int m = 0; m < 2; m++) {
            members.add(pool.submit(() -> {
                Map<String, Object> config = consumerConfig(servers, group);
                config.put("max.poll.records", "2000");
                config.put("partition.assignment.strategy", "range");
                try (Consumer<byte[], byte[]> c = consumer(config)) {
                    c.subscribe(List.of("throughput"));
                    // Join first; whatever a poll returns meanwhile is re-read after the start (seek to beginning).
                    while (c.assignment().size() != 2) {
                        c.poll(Duration.ofMillis(5));
                    }
                    assigned.countDown();
                    go.await();
                    c.seekToBeginning(c.assignment());
                    while (!stop.get()) {
                        int n = c.poll(Duration.ofMillis(50)).count();
                        if (read.addAndGet(n) >= records) {
                            stop.set(true);
                        }
                    }
                }
                return null;
            }));
        }
        assigned.await(60, TimeUnit.SECONDS);
        long start = System.nanoTime();
        go.countDown();
        for (Future<?> f : members) {
            f.get();
        }
        double seconds = (System.nanoTime() - start) / 1e9;
        pool.shutdown();
        return read.get() / seconds;
    }

    private static double median(List<Double> values) {
        List<Double> sorted = new ArrayList<>(values);
        Collections.sort(sorted);
        return sorted.get(sorted.size() / 2);
    }
}
