package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.Stores;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grouping, aggregations and tables through the test driver, at one partition and at four. */
class AggregationTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "agg");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    private static TestInputTopic<String, String> input(TopologyTestDriver driver, String topic) {
        return driver.createInputTopic(
                topic, Serdes.String().serializer(), Serdes.String().serializer());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void wordCountRepartitionsByWordAndCountsEveryWordOnce(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("text")
                .flatMapValues(line -> Arrays.asList(line.toLowerCase().split(" ")))
                .groupBy((key, word) -> word)
                .count(Materialized.as("counts"))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            TestInputTopic<String, String> text = input(driver, "text");
            text.pipeInput("1", "the quick fox");
            text.pipeInput("2", "The lazy dog");
            text.pipeInput("3", "the end");
            Map<String, Long> last = driver.createOutputTopic(
                            "word-counts",
                            Serdes.String().deserializer(),
                            Serdes.Long().deserializer())
                    .readKeyValuesToMap();
            Map<String, Long> expected = Map.of("the", 3L, "quick", 1L, "fox", 1L, "lazy", 1L, "dog", 1L, "end", 1L);
            assertEquals(expected, last);
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            Map<String, Long> stored = new HashMap<>();
            try (var it = counts.all()) {
                it.forEachRemaining(kv -> stored.put(kv.key(), kv.value()));
            }
            assertEquals(expected, stored);
            assertTrue(
                    driver.producedTopicNames().contains("agg-counts-repartition"),
                    driver.producedTopicNames().toString());
        }
    }

    @Test
    void groupByKeyWithoutAKeyChangeNeedsNoRepartitionTopic() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .count()
                .toStream()
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        assertEquals(1, topology.describe().subtopologies().size());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(1), T0)) {
            input(driver, "in").pipeValueList(List.of());
            TestInputTopic<String, String> in = input(driver, "in");
            in.pipeInput("a", "x");
            in.pipeInput("a", "y");
            assertEquals(
                    List.of(KeyValue.pair("a", 1L), KeyValue.pair("a", 2L)),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readKeyValuesToList());
            assertEquals(java.util.Set.of("out"), driver.producedTopicNames());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aggregateAndReduceFoldEachKeysValues(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        var grouped = builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .groupByKey();
        grouped.reduce(Long::sum, Materialized.as("sums"))
                .toStream()
                .to("sums", Produced.with(Serdes.String(), Serdes.Long()));
        grouped.aggregate(
                        () -> "",
                        (k, v, agg) -> agg + v,
                        Materialized.<String, String, StateStore>as(Stores.inMemoryKeyValueStore("joined"))
                                .withValueSerde(Serdes.String()))
                .toStream()
                .to("joined", Produced.with(Serdes.String(), Serdes.String()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.Long().serializer());
            in.pipeInput("a", 1L);
            in.pipeInput("b", 10L);
            in.pipeInput("a", 2L);
            in.pipeInput("a", 3L);
            assertEquals(
                    Map.of("a", 6L, "b", 10L),
                    driver.createOutputTopic(
                                    "sums",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readKeyValuesToMap());
            assertEquals(
                    Map.of("a", "123", "b", "10"),
                    driver.createOutputTopic(
                                    "joined",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToMap());
            assertEquals(
                    "123", driver.<String, String>getKeyValueStore("joined").get("a"));
        }
    }

    @Test
    void recordsWithANullKeyOrValueAreSkipped() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in").groupByKey().count(Materialized.as("counts"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), T0)) {
            TestInputTopic<String, String> in = input(driver, "in");
            in.pipeInput(null, "x");
            in.pipeInput(new TestRecord<>("a", null));
            in.pipeInput("a", "x");
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertEquals(1L, counts.get("a"));
            assertEquals(1, counts.approximateNumEntries());
        }
    }

    @Test
    void anAggregateCarriesTheNewestTimestampOfItsRecords() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .count(Materialized.as("counts"))
                .toStream()
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), T0)) {
            TestInputTopic<String, String> in = input(driver, "in");
            in.pipeInput("a", "x", 100L);
            in.pipeInput("a", "x", 50L);
            in.pipeInput("a", "x", 200L);
            List<Long> times = driver
                    .createOutputTopic(
                            "out", Serdes.String().deserializer(), Serdes.Long().deserializer())
                    .readRecordsToList()
                    .stream()
                    .map(TestRecord::timestamp)
                    .toList();
            assertEquals(List.of(100L, 100L, 200L), times);
            KeyValueStore<String, ValueAndTimestamp<Long>> timestamped = driver.getTimestampedKeyValueStore("counts");
            assertEquals(ValueAndTimestamp.make(3L, 200L), timestamped.get("a"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aTableFilterDeletesAKeyThatStopsPassing(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, Long> counts =
                builder.<String, String>stream("in").groupByKey().count();
        counts.filter((k, n) -> n % 2 == 0).toStream().to("even", Produced.with(Serdes.String(), Serdes.Long()));
        counts.mapValues(n -> "n=" + n).toStream().to("described");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            TestInputTopic<String, String> in = input(driver, "in");
            in.pipeInput("a", "x");
            in.pipeInput("a", "x");
            in.pipeInput("a", "x");
            var even = driver.createOutputTopic(
                            "even",
                            Serdes.String().deserializer(),
                            Serdes.Long().deserializer())
                    .readKeyValuesToList();
            assertEquals(List.of(KeyValue.pair("a", 2L), KeyValue.pair("a", null)), even);
            assertEquals(
                    List.of("n=1", "n=2", "n=3"),
                    driver.createOutputTopic(
                                    "described",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readValuesToList());
            assertNull(counts.filter((k, n) -> true).queryableStoreName());
            // As Kafka Streams: a generated store name is not queryable.
            assertNull(counts.queryableStoreName());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aTableFromATopicKeepsTheLatestValueAndANullDeletes(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("prices", Materialized.as("price-store")).toStream().to("changes");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            TestInputTopic<String, String> prices = input(driver, "prices");
            prices.pipeInput("apple", "1");
            prices.pipeInput("pear", "2");
            prices.pipeInput("apple", "3");
            prices.pipeInput(new TestRecord<>("pear", null));
            KeyValueStore<String, String> store = driver.getKeyValueStore("price-store");
            assertEquals("3", store.get("apple"));
            assertNull(store.get("pear"));
            assertEquals(
                    4,
                    driver.createOutputTopic(
                                    "changes",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .getQueueSize());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void toTableAfterAKeyChangeRepartitionsSoEachKeyHasOneRow(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .selectKey((k, v) -> v.substring(0, 1))
                .toTable(null, Materialized.as("latest"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            TestInputTopic<String, String> in = input(driver, "in");
            for (int i = 0; i < 20; i++) {
                in.pipeInput("k" + i, (i % 2 == 0 ? "x" : "y") + i);
            }
            KeyValueStore<String, String> latest = driver.getKeyValueStore("latest");
            assertEquals("x18", latest.get("x"));
            assertEquals("y19", latest.get("y"));
            assertEquals(2, latest.approximateNumEntries());
            // Kafka Streams names toTable's repartition after the toTable processor, not the store.
            assertTrue(
                    driver.producedTopicNames().contains("agg-KSTREAM-TOTABLE-0000000002-repartition"),
                    driver.producedTopicNames().toString());
        }
    }

    @Test
    void aNamedGroupingNamesItsRepartitionTopic() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupBy((k, v) -> v, Grouped.as("by-value"))
                .count();
        String described = builder.build().describe().toString();
        assertTrue(described.contains("by-value-repartition-sink (topic: by-value-repartition)"), described);
        assertFalse(described.contains("agg-"), "the application id prefixes internal topics only at run time");
    }

    /**
     * As Kafka Streams' caching stores: with a cache, an aggregation forwards one update per key per commit (the test
     * driver commits after each input record), with the value before it as the old one; without, every update.
     */
    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void aCachingStoreForwardsOneUpdatePerKeyPerCommit(boolean caching) {
        Materialized<String, Long, StateStore> store =
                Materialized.<String, Long, StateStore>as("c").withValueSerde(Serdes.Long());
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .flatMapValues(v -> List.of(v, v, v))
                .groupByKey()
                .count(caching ? store : store.withCachingDisabled())
                .toStream()
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(1), Instant.ofEpochMilli(0))) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "x");
            in.pipeInput("k", "y");
            var out = driver.createOutputTopic(
                            "out", Serdes.String().deserializer(), Serdes.Long().deserializer())
                    .readValuesToList();
            assertEquals(caching ? List.of(3L, 6L) : List.of(1L, 2L, 3L, 4L, 5L, 6L), out);
        }
    }
}
