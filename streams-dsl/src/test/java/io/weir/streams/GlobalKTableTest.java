package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.GlobalKTable;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.Stores;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Global tables and stream joins with them through the test driver, at one partition and at four. */
class GlobalKTableTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "global");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    /** Orders keyed by order id, valued "customer:item", enriched with the customer's name by a key selector. */
    private static List<KeyValue<String, String>> enrich(int partitions, boolean left) {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> customers = builder.globalTable("customers", Materialized.as("customers-store"));
        KStream<String, String> orders = builder.stream("orders");
        KStream<String, String> joined = left
                ? orders.leftJoin(
                        customers,
                        (orderId, v) -> v.split(":")[0],
                        (orderId, v, name) -> orderId + ":" + v.split(":")[1] + " for " + name)
                : orders.join(
                        customers,
                        (orderId, v) -> v.split(":")[0],
                        (v, name) -> v.split(":")[1] + " for " + name,
                        Named.as("enrich"));
        joined.to("enriched");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var customerTopic = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orderTopic = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customerTopic.pipeInput("c1", "Ada");
            customerTopic.pipeInput("c2", "Grace");
            orderTopic.pipeInput("o1", "c1:book");
            orderTopic.pipeInput("o2", "c3:pen"); // no such customer yet
            customerTopic.pipeInput("c3", "Edsger"); // a late global update: joins only later orders
            orderTopic.pipeInput("o3", "c3:chalk");
            customerTopic.pipeInput("c1", "Ada L."); // an update
            orderTopic.pipeInput("o4", "c1:lamp");
            customerTopic.pipeInput(new TestRecord<>("c2", null)); // a delete
            orderTopic.pipeInput("o5", "c2:cup");
            return driver.createOutputTopic(
                            "enriched",
                            Serdes.String().deserializer(),
                            Serdes.String().deserializer())
                    .readKeyValuesToList();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void innerJoinLooksUpTheSelectedKeyAndDropsRecordsWithoutARow(int partitions) {
        List<KeyValue<String, String>> out = enrich(partitions, false);
        assertEquals(
                List.of(
                        KeyValue.pair("o1", "book for Ada"),
                        KeyValue.pair("o3", "chalk for Edsger"),
                        KeyValue.pair("o4", "lamp for Ada L.")),
                out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void leftJoinJoinsNullWhereTheTableHasNoRowAndGivesTheJoinerTheKey(int partitions) {
        List<KeyValue<String, String>> out = enrich(partitions, true);
        assertEquals(
                List.of(
                        KeyValue.pair("o1", "o1:book for Ada"),
                        KeyValue.pair("o2", "o2:pen for null"),
                        KeyValue.pair("o3", "o3:chalk for Edsger"),
                        KeyValue.pair("o4", "o4:lamp for Ada L."),
                        KeyValue.pair("o5", "o5:cup for null")),
                out);
    }

    @Test
    void nullKeysAndNullSelectedKeysFollowKafkasRules() {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> customers = builder.globalTable("customers");
        KStream<String, String> orders = builder.stream("orders");
        // the selector maps a value "-" to no key
        orders.join(customers, (k, v) -> v.equals("-") ? null : v, (v, c) -> "inner " + v + "/" + c)
                .to("inner");
        orders.leftJoin(customers, (k, v) -> v.equals("-") ? null : v, (v, c) -> "left " + v + "/" + c)
                .to("left");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), T0)) {
            var customerTopic = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orderTopic = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customerTopic.pipeInput("c1", "Ada");
            orderTopic.pipeInput(new TestRecord<>(null, "c1")); // null key: the inner join still joins by value
            orderTopic.pipeInput(new TestRecord<>(null, "-")); // null key, null selected key: only left joins
            orderTopic.pipeInput(new TestRecord<>("k", "-")); // a key, null selected key: dropped by both
            orderTopic.pipeInput(new TestRecord<>("k", null)); // null value: dropped by both
            var inner = driver.createOutputTopic(
                    "inner", Serdes.String().deserializer(), Serdes.String().deserializer());
            var left = driver.createOutputTopic(
                    "left", Serdes.String().deserializer(), Serdes.String().deserializer());
            assertEquals(List.of("inner c1/Ada"), inner.readValuesToList());
            assertEquals(List.of("left c1/Ada", "left -/null"), left.readValuesToList());
            assertEquals(5, driver.droppedRecordsTotal()); // inner: 3, left: 2
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void theGlobalStoreHoldsTheWholeTopicWhateverThePartitionCount(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> table = builder.globalTable(
                "customers", Consumed.with(Serdes.String(), Serdes.String()), Materialized.as("all-customers"));
        assertEquals("all-customers", table.queryableStoreName());
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var topic = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            for (int i = 0; i < 20; i++) {
                topic.pipeInput("c" + i, "name" + i);
            }
            topic.pipeInput(new TestRecord<>("c7", null));
            KeyValueStore<String, String> store = driver.getKeyValueStore("all-customers");
            assertEquals("name3", store.get("c3"));
            assertNull(store.get("c7"));
            assertEquals(19, store.approximateNumEntries());
        }
    }

    @Test
    void anUnnamedGlobalTableHasNoQueryableNameButAGeneratedStore() {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> table = builder.globalTable("customers");
        assertNull(table.queryableStoreName());
        assertTrue(builder.build()
                .describe()
                .globalStores()
                .iterator()
                .next()
                .processor()
                .stores()
                .contains("customers-STATE-STORE-0000000000"));
    }

    @Test
    void describeShowsGlobalStoresAsKafkaDoes() {
        StreamsBuilder builder = new StreamsBuilder();
        GlobalKTable<String, String> customers = builder.globalTable("customers");
        builder.<String, String>stream("orders")
                .join(customers, (k, v) -> v, (v, c) -> v + c)
                .to("out");
        String expected = "Topologies:\n"
                + "   Sub-topology: 0\n"
                + "    Source: KSTREAM-SOURCE-0000000003 (topics: [orders])\n"
                + "      --> KSTREAM-JOIN-0000000004\n"
                + "    Processor: KSTREAM-JOIN-0000000004 (stores: [])\n"
                + "      --> KSTREAM-SINK-0000000005\n"
                + "      <-- KSTREAM-SOURCE-0000000003\n"
                + "    Sink: KSTREAM-SINK-0000000005 (topic: out)\n"
                + "      <-- KSTREAM-JOIN-0000000004\n"
                + "\n"
                + "  Sub-topology: 1 for global store (will not generate tasks)\n"
                + "    Source: KSTREAM-SOURCE-0000000001 (topics: [customers])\n"
                + "      --> KTABLE-SOURCE-0000000002\n"
                + "    Processor: KTABLE-SOURCE-0000000002 (stores: [customers-STATE-STORE-0000000000])\n"
                + "      --> none\n"
                + "      <-- KSTREAM-SOURCE-0000000001\n";
        assertEquals(expected, builder.build().describe().toString());
    }

    @Test
    void aGlobalTopicCannotAlsoBeReadAsAStream() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("customers");
        assertThrows(TopologyException.class, () -> builder.stream("customers"));
    }

    @Test
    void streamTasksCannotWriteAGlobalStore() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.globalTable("customers", Materialized.as("customers-store"));
        builder.<String, String>stream("orders").process(() -> new Processor<String, String, String, String>() {
            private KeyValueStore<String, Object> store;

            @Override
            public void init(ProcessorContext<String, String> context) {
                store = context.getStateStore("customers-store");
            }

            @Override
            public void process(Record<String, String> record) {
                store.put(record.key(), record.value());
            }
        });
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), T0)) {
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            RuntimeException e = assertThrows(RuntimeException.class, () -> orders.pipeInput("k", "v"));
            assertTrue(String.valueOf(e.getCause()).contains("read-only"), e.toString());
        }
    }

    @Test
    void addGlobalStoreRunsTheUsersProcessorOnEveryRecord() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addGlobalStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("upper"), Serdes.String(), Serdes.String()),
                "names",
                Consumed.with(Serdes.String(), Serdes.String()),
                () -> new Processor<String, String, Void, Void>() {
                    private KeyValueStore<String, String> store;

                    @Override
                    public void init(ProcessorContext<Void, Void> context) {
                        store = context.getStateStore("upper");
                    }

                    @Override
                    public void process(Record<String, String> record) {
                        store.put(record.key(), record.value().toUpperCase(java.util.Locale.ROOT));
                    }
                });
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), T0)) {
            var names = driver.createInputTopic(
                    "names", Serdes.String().serializer(), Serdes.String().serializer());
            names.pipeInput("a", "ada");
            assertEquals("ADA", driver.<String, String>getKeyValueStore("upper").get("a"));
        }
    }
}
