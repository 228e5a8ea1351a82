package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.common.utils.Utils;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TableJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.processor.StreamPartitioner;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Foreign-key table joins through the test driver, at one partition and at several, with the two tables' topics of
 * different partition counts (orders 3, products 2: a foreign-key join needs no co-partitioning). Orders are
 * {@code "<product>:<quantity>"}, keyed by order id; products are names, keyed by product id.
 */
class ForeignKeyJoinTest {
    static final Instant T0 = Instant.ofEpochMilli(1_000);
    static final String APP = "fk";
    static final ValueJoiner<String, String, String> JOINER = (order, product) -> order + "/" + product;

    /** Without a cache, so every change of the result is forwarded and the tests see the exact sequence. */
    static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, APP);
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        if (partitions > 1) {
            props.put(TopologyTestDriver.TOPIC_PARTITIONS_PREFIX + "orders", "3");
            props.put(TopologyTestDriver.TOPIC_PARTITIONS_PREFIX + "products", "2");
        }
        return props;
    }

    static String product(String order) {
        return order == null ? null : order.split(":")[0].isEmpty() ? null : order.split(":")[0];
    }

    /** A driver over orders joined to products by {@code join}, and the joined table's changes as they come. */
    private static final class Fixture implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, String> orders;
        final TestInputTopic<String, String> products;
        final TestOutputTopic<String, String> joined;

        Fixture(
                int partitions,
                BiFunction<KTable<String, String>, KTable<String, String>, KTable<String, String>> join) {
            StreamsBuilder builder = new StreamsBuilder();
            join.apply(builder.table("orders"), builder.table("products"))
                    .toStream()
                    .to("joined");
            driver = new TopologyTestDriver(builder.build(), props(partitions), T0);
            orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            products = driver.createInputTopic(
                    "products", Serdes.String().serializer(), Serdes.String().serializer());
            joined = driver.createOutputTopic(
                    "joined", Serdes.String().deserializer(), Serdes.String().deserializer());
        }

        List<KeyValue<String, String>> read() {
            return joined.readKeyValuesToList();
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static Fixture inner(int partitions) {
        return new Fixture(partitions, (o, p) -> o.join(p, ForeignKeyJoinTest::product, JOINER));
    }

    private static Fixture left(int partitions) {
        return new Fixture(partitions, (o, p) -> o.leftJoin(p, ForeignKeyJoinTest::product, JOINER));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void anInnerJoinJoinsEachRowWithTheRowItsForeignKeyNames(int partitions) {
        try (Fixture f = inner(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.orders.pipeInput("o2", "p9:1");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple")), f.read());
            f.products.pipeInput("p9", "kiwi");
            assertEquals(List.of(KeyValue.pair("o2", "p9:1/kiwi")), f.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLeftJoinJoinsARowWithNullWhileItsForeignKeyIsMissing(int partitions) {
        try (Fixture f = left(partitions)) {
            f.orders.pipeInput("o1", "p1:5");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/null")), f.read());
            f.products.pipeInput("p1", "apple");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple")), f.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aChangedForeignKeyReplacesTheOldResultWithTheNewOne(int partitions) {
        try (Fixture f = inner(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.products.pipeInput("p2", "pear");
            f.orders.pipeInput("o1", "p1:5");
            f.orders.pipeInput("o1", "p2:5");
            // To a missing product: the old result is retracted.
            f.orders.pipeInput("o1", "p3:5");
            assertEquals(
                    List.of(
                            KeyValue.pair("o1", "p1:5/apple"),
                            KeyValue.pair("o1", "p2:5/pear"),
                            KeyValue.pair("o1", null)),
                    f.read());
            // The old foreign keys no longer reach the row.
            f.products.pipeInput("p1", "green apple");
            f.products.pipeInput("p2", "green pear");
            assertEquals(List.of(), f.read());
            f.products.pipeInput("p3", "plum");
            assertEquals(List.of(KeyValue.pair("o1", "p3:5/plum")), f.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLeftJoinsChangedForeignKeyJoinsWithNullWhenTheNewOneIsMissing(int partitions) {
        try (Fixture f = left(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.orders.pipeInput("o1", "p3:5");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", "p3:5/null")), f.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void deletingTheLeftRowDeletesItsResult(int partitions) {
        for (boolean leftJoin : new boolean[] {false, true}) {
            try (Fixture f = leftJoin ? left(partitions) : inner(partitions)) {
                f.products.pipeInput("p1", "apple");
                f.orders.pipeInput("o1", "p1:5");
                f.orders.pipeInput(new TestRecord<>("o1", null));
                assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", null)), f.read());
                f.products.pipeInput("p1", "green apple");
                assertEquals(List.of(), f.read(), "a deleted row is no longer subscribed");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void deletingTheRightRowDeletesAnInnerResultAndNullsALeftOne(int partitions) {
        try (Fixture f = inner(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.products.pipeInput(new TestRecord<>("p1", null));
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", null)), f.read());
            f.products.pipeInput("p1", "apple again");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple again")), f.read(), "the row stays subscribed");
        }
        try (Fixture f = left(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.products.pipeInput(new TestRecord<>("p1", null));
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", "p1:5/null")), f.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRightUpdateReachesEveryRowThatRefersToIt(int partitions) {
        try (Fixture f = inner(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.products.pipeInput("p2", "pear");
            for (int i = 0; i < 12; i++) {
                f.orders.pipeInput("o" + i, (i % 3 == 0 ? "p2" : "p1") + ":" + i);
            }
            f.read();
            f.products.pipeInput("p1", "green apple");
            Map<String, String> updated = new LinkedHashMap<>();
            f.read().forEach(kv -> assertEquals(null, updated.put(kv.key(), kv.value()), "one update per row"));
            Map<String, String> expected = new LinkedHashMap<>();
            for (int i = 0; i < 12; i++) {
                if (i % 3 != 0) {
                    expected.put("o" + i, "p1:" + i + "/green apple");
                }
            }
            assertEquals(expected, updated);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aNullForeignKeyHasNoInnerResultAndANullLeftOne(int partitions) {
        try (Fixture f = inner(partitions)) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", ":5");
            assertEquals(List.of(), f.read());
            assertEquals(1, f.driver.droppedRecordsTotal(), "the row without a foreign key is counted as dropped");
            f.orders.pipeInput("o1", "p1:5");
            // A foreign key that becomes null retracts the row's result.
            f.orders.pipeInput("o1", ":6");
            assertEquals(List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", null)), f.read());
        }
        try (Fixture f = left(partitions)) {
            f.orders.pipeInput("o1", ":5");
            assertEquals(List.of(KeyValue.pair("o1", ":5/null")), f.read());
        }
    }

    /**
     * The answer for a row's earlier value, arriving after the answer for its current value — as it may when the two
     * foreign keys live on different partitions, processed by different tasks — is dropped: it carries the hash of a
     * value the row no longer has. The late answer is provoked by writing the first answer's bytes to the response
     * topic again once the row moved on.
     */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aStaleAnswerForAnEarlierValueOfTheRowIsDropped(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>table("orders")
                .join(builder.table("products"), ForeignKeyJoinTest::product, JOINER, TableJoined.as("fk"))
                .toStream()
                .to("joined");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            var products = driver.createInputTopic(
                    "products", Serdes.String().serializer(), Serdes.String().serializer());
            var joined = driver.createOutputTopic(
                    "joined", Serdes.String().deserializer(), Serdes.String().deserializer());
            String responseTopic = APP + "-fk-subscription-response-topic";
            var responses = driver.createOutputTopic(
                    responseTopic,
                    Serdes.ByteArray().deserializer(),
                    Serdes.ByteArray().deserializer());
            var lateResponses = driver.createInputTopic(
                    responseTopic,
                    Serdes.ByteArray().serializer(),
                    Serdes.ByteArray().serializer());
            products.pipeInput("p1", "apple");
            products.pipeInput("p2", "pear");
            orders.pipeInput("o1", "p1:5");
            TestRecord<byte[], byte[]> forP1 = responses.readRecord();
            orders.pipeInput("o1", "p2:5");
            TestRecord<byte[], byte[]> forP2 = responses.readRecord();
            assertTrue(responses.isEmpty());
            assertEquals(
                    List.of(KeyValue.pair("o1", "p1:5/apple"), KeyValue.pair("o1", "p2:5/pear")),
                    joined.readKeyValuesToList());
            long droppedBefore = driver.droppedRecordsTotal();

            lateResponses.pipeInput(forP1.key(), forP1.value());
            assertEquals(List.of(), joined.readKeyValuesToList(), "the answer for p1 is stale: o1 refers to p2 now");
            assertEquals(droppedBefore + 1, driver.droppedRecordsTotal());

            // The same route with the current answer does reach the result: it is the hash that tells them apart.
            lateResponses.pipeInput(forP2.key(), forP2.value());
            assertEquals(List.of(KeyValue.pair("o1", "p2:5/pear")), joined.readKeyValuesToList());
        }
    }

    @Test
    void aMaterializedResultIsQueryable() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>table("orders")
                .join(builder.table("products"), ForeignKeyJoinTest::product, JOINER, Materialized.as("order-lines"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(4), T0)) {
            driver.createInputTopic(
                            "products",
                            Serdes.String().serializer(),
                            Serdes.String().serializer())
                    .pipeInput("p1", "apple");
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            orders.pipeInput("o1", "p1:5");
            orders.pipeInput("o2", "p1:7");
            var store = driver.<String, String>getKeyValueStore("order-lines");
            assertEquals("p1:5/apple", store.get("o1"));
            assertEquals("p1:7/apple", store.get("o2"));
        }
    }

    @Test
    void theForeignKeyMayBeTakenFromTheKeyAndTheValue() {
        try (Fixture f = new Fixture(
                4, (o, p) -> o.leftJoin(p, (BiFunction<String, String, String>) (k, v) -> k.substring(0, 2), JOINER))) {
            f.products.pipeInput("ab", "apple");
            f.orders.pipeInput("ab-1", "5");
            assertEquals(List.of(KeyValue.pair("ab-1", "5/apple")), f.read());
        }
    }

    @Test
    void theTableJoinedPartitionersRouteTheSubscriptionsAndTheAnswers() {
        AtomicInteger leftCalls = new AtomicInteger();
        AtomicInteger rightCalls = new AtomicInteger();
        // The default partitioner's choice, as the tables' input topics were written with it.
        StreamPartitioner<String, Void> asLeft = (topic, key, value, n) -> {
            leftCalls.incrementAndGet();
            return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % n;
        };
        StreamPartitioner<String, Void> asRight = (topic, key, value, n) -> {
            rightCalls.incrementAndGet();
            return Utils.toPositive(Utils.murmur2(key.getBytes(java.nio.charset.StandardCharsets.UTF_8))) % n;
        };
        try (Fixture f = new Fixture(
                4, (o, p) -> o.join(p, ForeignKeyJoinTest::product, JOINER, TableJoined.with(asLeft, asRight)))) {
            f.products.pipeInput("p1", "apple");
            f.orders.pipeInput("o1", "p1:5");
            f.orders.pipeInput("o2", "p1:6");
            f.products.pipeInput("p1", "green apple");
            assertEquals(
                    List.of(
                            KeyValue.pair("o1", "p1:5/apple"),
                            KeyValue.pair("o2", "p1:6/apple"),
                            KeyValue.pair("o1", "p1:5/green apple"),
                            KeyValue.pair("o2", "p1:6/green apple")),
                    f.read().stream()
                            .sorted(java.util.Comparator.comparing((KeyValue<String, String> kv) ->
                                            kv.value().contains("green"))
                                    .thenComparing(KeyValue::key))
                            .toList());
            assertEquals(2, rightCalls.get(), "one subscription per order");
            assertEquals(4, leftCalls.get(), "one answer per order and per product version");
        }
    }

    @Test
    void theJoinsNodesAndTopicsAreNamedAsKafkaStreamsNamesThem() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> left = builder.<String, String>stream("input1").toTable();
        KTable<String, String> right = builder.<String, String>stream("input2").toTable();
        left.join(right, ForeignKeyJoinTest::product, JOINER).toStream().to("output");
        String described = builder.build().describe().toString();
        for (String name : List.of(
                "Sink: KTABLE-SINK-0000000008 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic)",
                "Source: KTABLE-SOURCE-0000000009 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-REGISTRATION-0000000006-topic])",
                "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000011 (stores: "
                        + "[KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])",
                "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000012 (stores: [KSTREAM-TOTABLE-STATE-STORE-0000000005])",
                "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-PROCESSOR-0000000013 (stores: "
                        + "[KTABLE-FK-JOIN-SUBSCRIPTION-STATE-STORE-0000000010])",
                "Sink: KTABLE-SINK-0000000015 (topic: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic)",
                "Source: KTABLE-SOURCE-0000000016 (topics: [KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-0000000014-topic])",
                "Processor: KTABLE-FK-JOIN-SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-0000000017 (stores: "
                        + "[KSTREAM-TOTABLE-STATE-STORE-0000000002])",
                "Processor: KTABLE-FK-JOIN-OUTPUT-0000000018 (stores: [KTABLE-FK-JOIN-OUTPUT-STATE-STORE-0000000019])",
                "Processor: KTABLE-TOSTREAM-0000000020")) {
            assertTrue(described.contains(name), name + " is not in\n" + described);
        }
    }

    @Test
    void theSubscriptionTopicTakesTheRightTablesCountAndTheResponseTopicTheLeftTables() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>table("orders")
                .join(builder.table("products"), ForeignKeyJoinTest::product, JOINER, TableJoined.as("fk"));
        var internal = builder.build().internalBuilder();
        // As the runtime has them before the check: each repartition topic with its writers' input count.
        Map<String, Integer> resolved = internal.ensureCopartitioning(Map.of(
                "orders",
                3,
                "products",
                2,
                "fk-subscription-registration-topic",
                3,
                "fk-subscription-response-topic",
                2));
        assertEquals(2, resolved.get("fk-subscription-registration-topic"));
        assertEquals(3, resolved.get("fk-subscription-response-topic"));
    }

    @Test
    void aRightTableReadFromARepartitionTopicAgreesWithTheSubscriptionTopic() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> latestName = builder.<String, String>stream("product-events")
                .groupBy((k, v) -> v.split("=")[0], io.weir.streams.kstream.Grouped.as("by-product"))
                .reduce((a, b) -> b);
        builder.<String, String>table("orders")
                .join(latestName, ForeignKeyJoinTest::product, JOINER, TableJoined.as("fk"));
        var internal = builder.build().internalBuilder();
        Map<String, Integer> resolved = internal.ensureCopartitioning(Map.of(
                "orders", 3,
                "product-events", 2,
                "by-product-repartition", 2,
                "fk-subscription-registration-topic", 3,
                "fk-subscription-response-topic", 2));
        assertEquals(3, resolved.get("by-product-repartition"), "the group of repartition topics takes the largest");
        assertEquals(3, resolved.get("fk-subscription-registration-topic"));
        assertEquals(3, resolved.get("fk-subscription-response-topic"));
    }
}
