package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Joined;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Stream-table joins through the test driver, at one partition and at four. */
class StreamTableJoinTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "join");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    private static List<KeyValue<String, String>> run(int partitions, boolean left, boolean rekey) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> customers = builder.table("customers");
        KStream<String, String> orders = builder.stream("orders");
        if (rekey) {
            // orders keyed by order id, value "customer:item": the join must move them to the customer's partition
            orders = orders.selectKey((orderId, v) -> v.split(":")[0]).mapValues(v -> v.split(":")[1]);
        }
        KStream<String, String> joined = left
                ? orders.leftJoin(customers, (item, name) -> item + " for " + name)
                : orders.join(customers, (item, name) -> item + " for " + name, Joined.as("enrich"));
        joined.to("enriched");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var customerTopic = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orderTopic = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customerTopic.pipeInput("c1", "Ada");
            customerTopic.pipeInput("c2", "Grace");
            if (rekey) {
                orderTopic.pipeInput("o1", "c1:book");
                orderTopic.pipeInput("o2", "c3:pen");
                customerTopic.pipeInput("c1", "Ada L.");
                orderTopic.pipeInput("o3", "c1:lamp");
                customerTopic.pipeInput(new TestRecord<>("c2", null));
                orderTopic.pipeInput("o4", "c2:cup");
            } else {
                orderTopic.pipeInput("c1", "book");
                orderTopic.pipeInput("c3", "pen");
                customerTopic.pipeInput("c1", "Ada L.");
                orderTopic.pipeInput("c1", "lamp");
                customerTopic.pipeInput(new TestRecord<>("c2", null));
                orderTopic.pipeInput("c2", "cup");
            }
            return driver.createOutputTopic(
                            "enriched",
                            Serdes.String().deserializer(),
                            Serdes.String().deserializer())
                    .readKeyValuesToList();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void anInnerJoinSeesTheTablesValueWhenTheRecordArrivesAndDropsMisses(int partitions) {
        assertEquals(
                List.of(KeyValue.pair("c1", "book for Ada"), KeyValue.pair("c1", "lamp for Ada L.")),
                run(partitions, false, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLeftJoinJoinsMissesWithNull(int partitions) {
        assertEquals(
                List.of(
                        KeyValue.pair("c1", "book for Ada"),
                        KeyValue.pair("c3", "pen for null"),
                        KeyValue.pair("c1", "lamp for Ada L."),
                        KeyValue.pair("c2", "cup for null")),
                run(partitions, true, false));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aStreamWhoseKeyChangedIsRepartitionedBeforeTheJoin(int partitions) {
        assertEquals(
                List.of(KeyValue.pair("c1", "book for Ada"), KeyValue.pair("c1", "lamp for Ada L.")),
                run(partitions, false, true));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aJoinReadsAFilteredTableThroughItsFilter(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> vips =
                builder.<String, String>table("customers").filter((id, name) -> name.startsWith("V"));
        builder.<String, String>stream("orders")
                .join(vips, (item, name) -> item + "@" + name)
                .to("vip-orders");
        String described = builder.build().describe().toString();
        assertTrue(described.contains("(stores: [customers-STATE-STORE-"), described);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var customers = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customers.pipeInput("c1", "Vera");
            customers.pipeInput("c2", "Bob");
            orders.pipeInput("c1", "a");
            orders.pipeInput("c2", "b");
            assertEquals(
                    List.of(KeyValue.pair("c1", "a@Vera")),
                    driver.createOutputTopic(
                                    "vip-orders",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToList());
        }
    }
}
