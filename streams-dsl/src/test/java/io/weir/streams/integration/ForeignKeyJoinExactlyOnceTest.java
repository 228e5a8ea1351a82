package io.weir.streams.integration;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.admin.Admin;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.streams.StoreQueryParameters;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.Topology;
import io.weir.streams.WeirStreams;
import io.weir.streams.errors.InvalidStateStoreException;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TableJoined;
import io.weir.streams.processor.internals.CrashPoints;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A foreign-key join on the runtime, exactly-once across a crash: orders (3 partitions) joined to products (2
 * partitions) through the join's two internal topics, with the subscription store changelogged. The first instance is
 * halted right after a broker commit, before its stores commit (the window where the stores lag their changelogs);
 * the second, on the same state directory and broker files, finishes. Every order and every product is written once,
 * so whatever the interleaving each order has exactly one result: the read_committed output must hold each once,
 * with the right value, and the queried result store must agree.
 */
class ForeignKeyJoinExactlyOnceTest {
    private static final long SEED = 20261207L;
    private static final int ORDERS = 200;
    private static final int PRODUCTS = 10;
    private static final String SUBSCRIPTIONS = "fk-eos-order-product-subscription-registration-topic";
    private static final String RESPONSES = "fk-eos-order-product-subscription-response-topic";

    private static Topology topology() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>table("orders")
                .join(
                        builder.<String, String>table("products"),
                        order -> order.split(":")[0],
                        (order, product) -> order + "/" + product,
                        TableJoined.as("order-product"),
                        Materialized.as("order-lines"))
                .toStream()
                .to("order-lines-out");
        return builder.build();
    }

    private static Properties props(Path dir, CrashPoints.Handler handler) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "fk-eos");
        props.put(StreamsConfig.STATE_DIR_CONFIG, dir.toString());
        props.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        props.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, 0);
        props.put(StreamsConfig.CONSUMER_PREFIX + "max.poll.records", 20);
        props.put(StreamsConfig.PRODUCER_PREFIX + "linger.ms", 0);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        if (handler != null) {
            props.put(CrashPoints.HANDLER_CONFIG, handler);
        }
        return props;
    }

    @Test
    void eachOrderIsJoinedExactlyOnceAcrossAHaltBetweenTheBrokerAndTheStoreCommits(@TempDir Path dir) throws Exception {
        Random random = new Random(SEED);
        int haltAtCommit = 10 + random.nextInt(10);
        Map<String, String> expected = new HashMap<>();
        List<String[]> orders = new ArrayList<>();
        List<String[]> products = new ArrayList<>();
        for (int p = 0; p < PRODUCTS; p++) {
            products.add(new String[] {"p" + p, "product-" + p});
        }
        for (int o = 0; o < ORDERS; o++) {
            int p = random.nextInt(PRODUCTS);
            orders.add(new String[] {"o" + o, "p" + p + ":" + o});
            expected.put("o" + o, "p" + p + ":" + o + "/product-" + p);
        }
        Collections.shuffle(products, random);

        AtomicInteger commits = new AtomicInteger();
        CountDownLatch halted = new CountDownLatch(1);
        CrashPoints.Handler haltOnce = (point, thread) -> {
            if (point.equals(CrashPoints.AFTER_BROKER_COMMIT) && commits.incrementAndGet() == haltAtCommit) {
                halted.countDown();
                throw new CrashPoints.Halt(point);
            }
        };
        try (WeirStreams first = new WeirStreams(topology(), props(dir, haltOnce))) {
            String bootstrap = first.bootstrapServers();
            Cluster.createTopic(bootstrap, "orders", 3);
            Cluster.createTopic(bootstrap, "products", 2);
            Cluster.createTopic(bootstrap, "order-lines-out", 3);
            // Half the orders before any product, so both the join on subscription and the fan-out on a product
            // change make results; all of it before the start, so the halt falls inside the processing.
            Cluster.produce(bootstrap, "orders", orders.subList(0, ORDERS / 2));
            Cluster.produce(bootstrap, "products", products);
            Cluster.produce(bootstrap, "orders", orders.subList(ORDERS / 2, ORDERS));
            first.start();
            assertTrue(halted.await(60, TimeUnit.SECONDS), "the first instance was not halted");
            // The subscription topic is partitioned as the right table, the response topic as the left.
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", bootstrap))) {
                Map<String, Integer> counts = new HashMap<>();
                admin.describeTopics(List.of(SUBSCRIPTIONS, RESPONSES))
                        .all()
                        .get(30, TimeUnit.SECONDS)
                        .forEach((name, description) -> counts.put(name, description.partitionCount()));
                assertEquals(Map.of(SUBSCRIPTIONS, 2, RESPONSES, 3), counts);
            }
            int before = readCommitted(bootstrap, "order-lines-out", 3).size();
            System.out.println("halted at commit " + haltAtCommit + " with " + before + " results committed");
            assertTrue(before < ORDERS, "the halt came after the whole input was joined");
        }

        try (WeirStreams second = new WeirStreams(topology(), props(dir, null))) {
            second.start();
            Map<String, String> stored = Cluster.eventually(() -> query(second), expected::equals);
            assertEquals(expected, stored);
            System.out.println("the restart replayed " + second.restoredRecords() + " changelog records");
            // The store commits after the broker commit that wrote its results, but a commit returns before its
            // markers land, so the last transaction may not be stable yet: read until the output holds every result.
            List<ConsumerRecord<String, String>> out = Cluster.eventually(
                    () -> readCommitted(second.bootstrapServers(), "order-lines-out", 3),
                    records -> Cluster.latest(records).equals(expected));
            Map<String, Integer> copies = new HashMap<>();
            out.forEach(r -> copies.merge(r.key(), 1, Integer::sum));
            copies.values().removeIf(n -> n == 1);
            assertEquals(Map.of(), copies, "results written more than once (halted at commit " + haltAtCommit + ")");
            assertEquals(expected, Cluster.latest(out));
        }
    }

    /** Every read_committed record of {@code topic}, up to its last stable offsets as they are now. */
    private static List<ConsumerRecord<String, String>> readCommitted(String bootstrap, String topic, int partitions) {
        List<ConsumerRecord<String, String>> read = new ArrayList<>();
        try (Consumer<String, String> consumer = Consumer.create(
                Map.of("bootstrap.servers", bootstrap, "isolation.level", "read_committed"),
                new StringDeserializer(),
                new StringDeserializer())) {
            List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < partitions; p++) {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            consumer.seekToBeginning(all);
            Map<TopicPartition, Long> ends = consumer.endOffsets(all);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (ends.entrySet().stream().anyMatch(e -> consumer.position(e.getKey()) < e.getValue())) {
                assertTrue(System.nanoTime() < deadline, "could not read " + topic + " to " + ends);
                consumer.poll(Duration.ofMillis(20)).forEach(read::add);
            }
        }
        return read;
    }

    private static Map<String, String> query(WeirStreams streams) {
        Map<String, String> rows = new HashMap<>();
        try {
            ReadOnlyKeyValueStore<String, String> store = streams.store(
                    StoreQueryParameters.fromNameAndType("order-lines", QueryableStoreTypes.keyValueStore()));
            try (KeyValueIterator<String, String> all = store.all()) {
                all.forEachRemaining(kv -> rows.put(kv.key(), kv.value()));
            }
        } catch (InvalidStateStoreException e) {
            return Map.of(); // a task still restoring: asked again
        }
        return rows;
    }
}
