package io.weir.streams.integration;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.LongDeserializer;
import io.weir.common.serialization.LongSerializer;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.StreamJoined;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * The application {@link StreamJoinCrashTest} runs in a child JVM, on its own embedded broker in {@code <dir>}: a
 * left join of orders with payments within {@value #WINDOW_MS} ms under exactly_once_v2, committing after every poll
 * of at most 50 records, so commits (and halts) fall while orders wait in the outer-join store for their windows to
 * close. Each run first appends a batch of orders and payments (timestamps in a 1 s span, 20 s after the previous
 * batch's), then one closing record per key 10 s later, which closes every window of the batch; closing records
 * join each other and are filtered out. At the end of its input, a run that was not halted checks that the
 * read_committed output holds every pair within the window and every order without one (joined with null) exactly
 * once, recomputed from the input topics, and prints {@code RESULT OK} or {@code RESULT MISMATCH ...}.
 */
public final class CrashingJoinApp {
    static final long WINDOW_MS = 30;
    static final int KEYS = 20;
    private static final int ORDERS = 300;
    private static final int PAYMENTS = 200;
    private static final long BATCH_MS = 20_000;
    private static final long CLOSING = -1;
    /** A payment value that no payment has: what an order without a payment is joined with. */
    private static final long UNPAID = 99_999;

    private CrashingJoinApp() {}

    static long joined(long order, Long payment) {
        if (order == CLOSING || (payment != null && payment == CLOSING)) {
            return CLOSING;
        }
        return order * 100_000 + (payment == null ? UNPAID : payment);
    }

    /**
     * Orders and payments share the topic {@code events} (an order's value is {@code 2 * id}, a payment's
     * {@code 2 * id + 1}, a closing record's -1 goes to both sides), so that each task takes both sides' records in
     * their one partition's order, which is timestamp order: what is late, and when a window closes, does not depend on
     * how the two sides' partitions happen to be fetched or on {@code max.task.idle.ms}.
     */
    static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        var events = builder.stream("events", Consumed.with(Serdes.String(), Serdes.Long()));
        var orders = events.filter((k, v) -> v == CLOSING || v % 2 == 0).mapValues(CrashingJoinApp::id);
        var payments = events.filter((k, v) -> v == CLOSING || v % 2 == 1).mapValues(CrashingJoinApp::id);
        orders.leftJoin(
                        payments,
                        CrashingJoinApp::joined,
                        JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(WINDOW_MS), Duration.ofSeconds(5)),
                        StreamJoined.with(Serdes.String(), Serdes.Long(), Serdes.Long())
                                .withStoreName("paid"))
                .filter((key, value) -> value != CLOSING)
                .to("joined", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    private static long id(long event) {
        return event == CLOSING ? CLOSING : event / 2;
    }

    public static void main(String[] args) throws Exception {
        Path dir = Path.of(args[0]);
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "crashing-join");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 0);
        props.put(StreamsConfig.CONSUMER_PREFIX + "max.poll.records", 50);
        try (WeirStreams streams = new WeirStreams(topology(), props)) {
            String bootstrap = streams.bootstrapServers();
            appendInput(bootstrap);
            streams.start();
            Map<Long, Integer> expected = expected(bootstrap);
            Map<Long, Integer> seen = new TreeMap<>();
            try (Consumer<String, Long> reader = reader(bootstrap)) {
                reader.subscribe(List.of("joined"));
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
                while (!seen.equals(expected) && System.nanoTime() < deadline) {
                    for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(100))) {
                        seen.merge(r.value(), 1, Integer::sum);
                    }
                }
                // Anything more (a duplicate of a late commit) would arrive with the last commits: look once more.
                for (ConsumerRecord<String, Long> r : reader.poll(Duration.ofMillis(500))) {
                    seen.merge(r.value(), 1, Integer::sum);
                }
            }
            long unpaid = expected.keySet().stream()
                    .filter(v -> v % 100_000 == UNPAID)
                    .count();
            System.out.println("JOINED " + expected.size() + " RESULTS, " + unpaid + " WITHOUT A PAYMENT");
            System.out.println(
                    seen.equals(expected)
                            ? "RESULT OK"
                            : "RESULT MISMATCH seen=" + seen.size() + " expected=" + expected.size() + " "
                                    + difference(seen, expected));
        }
    }

    private static String difference(Map<Long, Integer> seen, Map<Long, Integer> expected) {
        Map<Long, String> diff = new TreeMap<>();
        seen.forEach((v, n) -> {
            if (!n.equals(expected.get(v))) {
                diff.put(v, n + " seen, " + expected.get(v) + " expected");
            }
        });
        expected.forEach((v, n) -> {
            if (!seen.containsKey(v)) {
                diff.put(v, "missing");
            }
        });
        return diff.toString();
    }

    /** A record of the input, as the reference reads it. */
    private record Input(String key, long value, long timestamp) {}

    /** Every pair of an order and a payment of one key within the window, and every order with none. */
    private static Map<Long, Integer> expected(String bootstrap) {
        List<Input> events = read(bootstrap);
        List<Input> orders = events.stream().filter(e -> e.value() % 2 == 0).toList();
        List<Input> payments = events.stream().filter(e -> e.value() % 2 == 1).toList();
        Map<Long, Integer> results = new TreeMap<>();
        for (Input o : orders) {
            boolean paid = false;
            for (Input p : payments) {
                if (o.key().equals(p.key()) && Math.abs(o.timestamp() - p.timestamp()) <= WINDOW_MS) {
                    paid = true;
                    results.merge(joined(id(o.value()), id(p.value())), 1, Integer::sum);
                }
            }
            if (!paid) {
                results.merge(joined(id(o.value()), null), 1, Integer::sum);
            }
        }
        return results;
    }

    private static List<Input> read(String bootstrap) {
        String topic = "events";
        List<Input> records = new ArrayList<>();
        try (Consumer<String, Long> c = reader(bootstrap)) {
            List<TopicPartition> partitions =
                    List.of(new TopicPartition(topic, 0), new TopicPartition(topic, 1), new TopicPartition(topic, 2));
            c.assign(partitions);
            c.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = c.endOffsets(partitions);
            while (partitions.stream().anyMatch(tp -> c.position(tp) < end.get(tp))) {
                for (ConsumerRecord<String, Long> r : c.poll(Duration.ofMillis(100))) {
                    records.add(new Input(r.key(), r.value(), r.timestamp()));
                }
            }
        }
        return records;
    }

    /**
     * Appends one batch, after the batches written before: orders and payments spread over one second, in timestamp
     * order, then a closing order and payment per key.
     */
    private static void appendInput(String bootstrap) throws Exception {
        try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
            if (!admin.listTopics().get(30, TimeUnit.SECONDS).contains("events")) {
                admin.createTopics(List.of(new NewTopic("events", 3), new NewTopic("joined", 3)))
                        .all()
                        .get(30, TimeUnit.SECONDS);
            }
        }
        long batch = read(bootstrap).stream().filter(r -> r.value() == CLOSING).count() / KEYS;
        long base = 1_000_000 + batch * BATCH_MS;
        try (Producer<String, Long> producer = Producer.create(
                Map.of("bootstrap.servers", bootstrap, "transactional.id", "crashing-join-input"),
                new StringSerializer(),
                new LongSerializer())) {
            producer.initTransactions();
            producer.beginTransaction();
            Map<Long, List<ProducerRecord<String, Long>>> byTime = new TreeMap<>();
            for (int i = 0; i < ORDERS; i++) {
                long order = batch * ORDERS + i;
                long time = base + i * 1000L / ORDERS;
                byTime.computeIfAbsent(time, t -> new ArrayList<>())
                        .add(new ProducerRecord<>("events", null, time, "key-" + (i % KEYS), 2 * order));
            }
            for (int j = 0; j < PAYMENTS; j++) {
                long payment = batch * PAYMENTS + j;
                long time = base + j * 1000L / PAYMENTS + 7;
                byTime.computeIfAbsent(time, t -> new ArrayList<>())
                        .add(new ProducerRecord<>("events", null, time, "key-" + ((j * 3) % KEYS), 2 * payment + 1));
            }
            byTime.values().forEach(records -> records.forEach(producer::send));
            for (int k = 0; k < KEYS; k++) {
                producer.send(new ProducerRecord<>("events", null, base + 10_000, "key-" + k, CLOSING));
            }
            producer.commitTransaction();
        }
    }

    private static Consumer<String, Long> reader(String bootstrap) {
        Map<String, Object> config = new HashMap<>();
        config.put("bootstrap.servers", bootstrap);
        config.put("isolation.level", "read_committed");
        config.put("auto.offset.reset", "earliest");
        config.put("group.id", "checker-" + System.nanoTime());
        return Consumer.create(config, new StringDeserializer(), new LongDeserializer());
    }
}
