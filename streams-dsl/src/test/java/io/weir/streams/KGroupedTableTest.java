package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.stream.Collectors;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * A table regrouped by a new key and aggregated, through the test driver at one partition and at four: every update
 * subtracts the old row from its old group and adds the new row to its new group.
 */
class KGroupedTableTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "regroup");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    /**
     * The updates of each key in order. One input can update two groups (a row moving between them), and the order
     * of updates to different keys is not defined: with a cache they are forwarded as the cache flushes, with
     * several partitions as each task does, as in Kafka Streams.
     */
    private static <V> void assertSameUpdatesPerKey(
            List<KeyValue<String, V>> expected, List<KeyValue<String, V>> actual) {
        assertEquals(perKey(expected), perKey(actual));
    }

    private static <V> java.util.Map<String, List<V>> perKey(List<KeyValue<String, V>> updates) {
        java.util.Map<String, List<V>> out = new java.util.TreeMap<>();
        for (KeyValue<String, V> update : updates) {
            out.computeIfAbsent(update.key(), k -> new java.util.ArrayList<>()).add(update.value());
        }
        return out;
    }

    private static <V> List<KeyValue<String, V>> outputs(
            TopologyTestDriver driver, io.weir.common.serialization.Deserializer<V> values) {
        return driver.createOutputTopic("out", Serdes.String().deserializer(), values)
                .readKeyValuesToList();
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void countFollowsUsersMovingBetweenRegionsAndLeaving(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> users = builder.table("users");
        users.groupBy((user, region) -> KeyValue.pair(region, user))
                .count(Materialized.as("counts"))
                .toStream()
                .to("out", io.weir.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
        assertTrue(builder.build().describe().toString().contains("counts-repartition"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "users", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("alice", "eu");
            in.pipeInput("bob", "eu");
            in.pipeInput("carol", "us");
            in.pipeInput("alice", "us"); // moves: eu loses her, then us gains her
            in.pipeInput(new TestRecord<>("bob", null)); // leaves: eu loses him
            in.pipeInput("alice", "us"); // stays: one change, subtracted then added back
            assertSameUpdatesPerKey(
                    List.of(
                            KeyValue.pair("eu", 1L),
                            KeyValue.pair("eu", 2L),
                            KeyValue.pair("us", 1L),
                            KeyValue.pair("eu", 1L),
                            KeyValue.pair("us", 2L),
                            KeyValue.pair("eu", 0L),
                            KeyValue.pair("us", 2L)),
                    outputs(driver, Serdes.Long().deserializer()));
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertEquals(0L, counts.get("eu"));
            assertEquals(2L, counts.get("us"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void reduceSumsWithTheAdderAndTakesOutWithTheSubtractor(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> scores = builder.table("scores"); // user -> "region:points"
        scores.groupBy(
                        (user, value) -> KeyValue.pair(value.split(":")[0], Long.parseLong(value.split(":")[1])),
                        Grouped.with("by-region", Serdes.String(), Serdes.Long()))
                .reduce(Long::sum, (sum, points) -> sum - points, Materialized.as("sums"))
                .toStream()
                .to("out", io.weir.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
        assertTrue(builder.build().describe().toString().contains("by-region-repartition"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "scores", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("alice", "eu:5");
            in.pipeInput("bob", "eu:7");
            in.pipeInput("alice", "eu:10"); // same region: 12 - 5 + 10
            in.pipeInput("bob", "us:7"); // moves
            in.pipeInput(new TestRecord<>("alice", null));
            assertSameUpdatesPerKey(
                    List.of(
                            KeyValue.pair("eu", 5L),
                            KeyValue.pair("eu", 12L),
                            KeyValue.pair("eu", 17L),
                            KeyValue.pair("eu", 10L),
                            KeyValue.pair("us", 7L),
                            KeyValue.pair("eu", 0L)),
                    outputs(driver, Serdes.Long().deserializer()));
            KeyValueStore<String, Long> sums = driver.getKeyValueStore("sums");
            assertEquals(0L, sums.get("eu"));
            assertEquals(7L, sums.get("us"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aggregateKeepsEachRegionsMembers(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> users = builder.table("users");
        users.groupBy((user, region) -> KeyValue.pair(region, user))
                .aggregate(
                        () -> "",
                        (region, user, members) -> members.isEmpty() ? user : members + "," + user,
                        (region, user, members) -> Arrays.stream(members.split(","))
                                .filter(m -> !m.equals(user))
                                .collect(Collectors.joining(",")),
                        Materialized.as("members"))
                .toStream()
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "users", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("alice", "eu");
            in.pipeInput("bob", "eu");
            in.pipeInput("alice", "us");
            in.pipeInput("alice", "us"); // stays: taken out and put back at the end
            in.pipeInput("carol", "us");
            assertSameUpdatesPerKey(
                    List.of(
                            KeyValue.pair("eu", "alice"),
                            KeyValue.pair("eu", "alice,bob"),
                            KeyValue.pair("eu", "bob"),
                            KeyValue.pair("us", "alice"),
                            KeyValue.pair("us", "alice"),
                            KeyValue.pair("us", "alice,carol")),
                    outputs(driver, Serdes.String().deserializer()));
            KeyValueStore<String, String> members = driver.getKeyValueStore("members");
            assertEquals("bob", members.get("eu"));
            assertEquals("alice,carol", members.get("us"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRowWhoseSelectedKeyIsNullIsInNoGroup(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> users = builder.table("users");
        users.groupBy((user, region) -> KeyValue.pair(region.equals("none") ? null : region, user))
                .count(Materialized.as("counts"))
                .toStream()
                .to("out", io.weir.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "users", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("alice", "none");
            in.pipeInput("bob", "eu");
            in.pipeInput("alice", "eu"); // joins eu; nothing to subtract from a null group
            in.pipeInput("bob", "none"); // leaves eu for no group
            assertSameUpdatesPerKey(
                    List.of(KeyValue.pair("eu", 1L), KeyValue.pair("eu", 2L), KeyValue.pair("eu", 1L)),
                    outputs(driver, Serdes.Long().deserializer()));
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertEquals(1L, counts.get("eu"));
            assertNull(counts.get("none"));
        }
    }
}
