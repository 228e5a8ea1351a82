package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Repartitioned;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The topics a join reads must have equal partition counts (Kafka's co-partitioning), checked by the test driver. */
class CopartitioningTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(Map<String, Integer> topicPartitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "copart");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        topicPartitions.forEach((topic, n) -> props.put(TopologyTestDriver.TOPIC_PARTITIONS_PREFIX + topic, n));
        return props;
    }

    private static Topology enrich(boolean rekey) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> customers = builder.table("customers");
        KStream<String, String> orders = builder.stream("orders");
        if (rekey) {
            orders = orders.selectKey((orderId, v) -> v.split(":")[0]).mapValues(v -> v.split(":")[1]);
        }
        orders.join(customers, (item, name) -> item + " for " + name).to("enriched");
        return builder.build();
    }

    private static long tasksOf(TopologyTestDriver driver, int subtopology) {
        return driver.tasks().stream()
                .filter(t -> t.subtopology() == subtopology)
                .count();
    }

    @Test
    void streamTableJoinOfTopicsWithDifferentPartitionCountsIsRefused() {
        TopologyException e = assertThrows(
                TopologyException.class,
                () -> new TopologyTestDriver(enrich(false), props(Map.of("orders", 2, "customers", 3)), T0));
        assertTrue(e.getMessage().contains("{customers=3, orders=2}"), e.getMessage());
    }

    @Test
    void tableTableJoinOfTopicsWithDifferentPartitionCountsIsRefused() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> left = builder.table("left");
        left.join(builder.table("right"), (a, b) -> a + b).toStream().to("out");
        TopologyException e = assertThrows(
                TopologyException.class, () -> new TopologyTestDriver(builder.build(), props(Map.of("left", 4)), T0));
        assertTrue(e.getMessage().contains("{left=4, right=1}"), e.getMessage());
    }

    @Test
    void streamTableJoinOfCopartitionedTopicsRunsOneTaskPerPartition() {
        try (TopologyTestDriver driver =
                new TopologyTestDriver(enrich(false), props(Map.of("orders", 3, "customers", 3)), T0)) {
            assertEquals(3, tasksOf(driver, 0));
            var customers = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customers.pipeInput("c1", "Ada");
            customers.pipeInput("c2", "Grace");
            orders.pipeInput("c1", "book");
            orders.pipeInput("c2", "pen");
            orders.pipeInput("c3", "cup");
            assertEquals(
                    List.of(KeyValue.pair("c1", "book for Ada"), KeyValue.pair("c2", "pen for Grace")),
                    driver.createOutputTopic(
                                    "enriched",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToList());
        }
    }

    @Test
    void repartitionTopicTakesTheCountOfTheTableItJoins() {
        // orders (2 partitions) is re-keyed, so only its repartition topic meets customers (3): no conflict, and the
        // repartition topic gets 3 partitions, so the join runs 3 tasks.
        try (TopologyTestDriver driver =
                new TopologyTestDriver(enrich(true), props(Map.of("orders", 2, "customers", 3)), T0)) {
            assertEquals(3, tasksOf(driver, 0));
            assertEquals(2, tasksOf(driver, 1));
            var customers = driver.createInputTopic(
                    "customers", Serdes.String().serializer(), Serdes.String().serializer());
            var orders = driver.createInputTopic(
                    "orders", Serdes.String().serializer(), Serdes.String().serializer());
            customers.pipeInput("c1", "Ada");
            customers.pipeInput("c2", "Grace");
            orders.pipeInput("o1", "c1:book");
            orders.pipeInput("o2", "c2:pen");
            orders.pipeInput("o3", "c1:lamp");
            assertEquals(
                    List.of(
                            KeyValue.pair("c1", "book for Ada"),
                            KeyValue.pair("c2", "pen for Grace"),
                            KeyValue.pair("c1", "lamp for Ada")),
                    driver.createOutputTopic(
                                    "enriched",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToList());
        }
    }

    @Test
    void topicsMergedWithoutAJoinNeedNotBeCopartitioned() {
        // As Kafka Streams: only joins ask for co-partitioning; a sub-topology reading two topics does not.
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(List.of("a", "b")).to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(Map.of("a", 2, "b", 5)), T0)) {
            assertEquals(5, tasksOf(driver, 0));
        }
    }

    @Test
    void ensureCopartitioningNamesTheTopicsAndTheirCounts() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("orders")
                .join(builder.<String, String>table("customers"), (a, b) -> a + b)
                .to("out");
        InternalTopologyBuilder internal = builder.build().internalBuilder();
        TopologyException e = assertThrows(
                TopologyException.class,
                () -> internal.ensureCopartitioning(Map.of("orders", 6, "customers", 4, "out", 1)));
        assertEquals(
                "Invalid topology: sub-topology 0 joins topics that are not co-partitioned. Following topics do not "
                        + "have the same number of partitions: {customers=4, orders=6}",
                e.getMessage());
        assertEquals(
                Map.of("orders", 4, "customers", 4, "out", 1),
                internal.ensureCopartitioning(Map.of("orders", 4, "customers", 4, "out", 1)));
    }

    /** Orders through the repartition topic a, joined to the table read back from the repartition topic b. */
    private static InternalTopologyBuilder bothRepartitioned(Integer a, Integer b) {
        StreamsBuilder builder = new StreamsBuilder();
        Repartitioned<String, String> toA = Repartitioned.as("a");
        Repartitioned<String, String> toB = Repartitioned.as("b");
        KTable<String, String> table = builder.<String, String>stream("customers")
                .repartition(b == null ? toB : toB.withNumberOfPartitions(b))
                .toTable();
        builder.<String, String>stream("orders")
                .repartition(a == null ? toA : toA.withNumberOfPartitions(a))
                .join(table, (x, y) -> x + y)
                .to("out");
        return builder.build().internalBuilder();
    }

    @Test
    void aGroupOfRepartitionTopicsTakesTheFixedCountNotTheLargest() {
        Map<String, Integer> resolved = bothRepartitioned(5, null)
                .ensureCopartitioning(Map.of("orders", 2, "customers", 7, "a-repartition", 5, "b-repartition", 7));
        assertEquals(5, resolved.get("a-repartition"));
        assertEquals(5, resolved.get("b-repartition"));
    }

    @Test
    void repartitionTopicsFixedToDifferentCountsAreRefused() {
        TopologyException e = assertThrows(TopologyException.class, () -> bothRepartitioned(5, 3)
                .ensureCopartitioning(Map.of("orders", 2, "customers", 7, "a-repartition", 5, "b-repartition", 3)));
        assertTrue(e.getMessage().contains("{a-repartition=5, b-repartition=3}"), e.getMessage());
    }

    @Test
    void aFixedCountThatDiffersFromTheSourceTopicsIsRefused() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("orders")
                .repartition(Repartitioned.<String, String>as("a").withNumberOfPartitions(5))
                .join(builder.<String, String>table("customers"), (x, y) -> x + y)
                .to("out");
        InternalTopologyBuilder internal = builder.build().internalBuilder();
        TopologyException e = assertThrows(
                TopologyException.class,
                () -> internal.ensureCopartitioning(Map.of("orders", 2, "customers", 3, "a-repartition", 5)));
        assertTrue(
                e.getMessage().contains("{a-repartition=5}") && e.getMessage().contains("{customers=3}"),
                e.getMessage());
        assertEquals(
                5,
                internal.ensureCopartitioning(Map.of("orders", 2, "customers", 5, "a-repartition", 5))
                        .get("customers"));
    }
}
