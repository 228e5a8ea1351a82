package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Branched;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KGroupedStream;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Produced;
import io.weir.streams.state.KeyValueStore;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Behaviours a Kafka Streams user relies on when porting a topology, each checked against what Kafka Streams
 * (4.x) does: names of generated and repartition nodes, reuse of a named repartition topic, null keys through a
 * repartition, the test driver's output helpers.
 */
class KafkaParityReviewTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "parity");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    /** Every node name of the topology, and for each source the topics it reads. */
    private static Map<String, Set<String>> nodes(Topology topology) {
        Map<String, Set<String>> out = new TreeMap<>();
        for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                out.put(
                        n.name(),
                        n instanceof TopologyDescription.Source src
                                ? new TreeSet<>(src.topicSet())
                                : n instanceof TopologyDescription.Sink sink && sink.topic() != null
                                        ? Set.of(sink.topic())
                                        : Set.of());
            }
        }
        return out;
    }

    // Kafka's GroupedStreamAggregateBuilder: "if the user has provided a name for the repartition topic, we re-use
    // the existing repartition node" -- two aggregations of one KGroupedStream named by Grouped.as share it.
    @Test
    void twoAggregationsOfOneNamedGroupingShareItsRepartitionTopic() {
        StreamsBuilder builder = new StreamsBuilder();
        KGroupedStream<String, String> byValue =
                builder.<String, String>stream("in").groupBy((k, v) -> v, Grouped.as("by-value"));
        byValue.count(Materialized.as("counts"));
        byValue.reduce((a, b) -> a + b, Materialized.as("concat"));
        Topology topology = builder.build();
        long repartitionSinks = nodes(topology).values().stream()
                .filter(t -> t.contains("by-value-repartition"))
                .count();
        assertEquals(2, repartitionSinks, "one sink and one source for the shared topic: " + nodes(topology));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(), T0)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("1", "x");
            in.pipeInput("2", "x");
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            KeyValueStore<String, String> concat = driver.getKeyValueStore("concat");
            assertEquals(2L, counts.get("x"));
            assertEquals("xx", concat.get("x"));
        }
    }

    // Kafka 3.7+ (KIP-962): a stream-table left join joins a null-key record with null, also after a key change;
    // the repartition's filter passes every record (KStreamImpl.createRepartitionedSource: (k, v) -> true).
    @Test
    void aLeftJoinAfterAKeyChangeJoinsANullKeyWithNull() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> table = builder.table("t");
        builder.<String, String>stream("s")
                .selectKey((k, v) -> v.equals("none") ? null : v)
                .leftJoin(table, (v, t) -> v + "/" + t)
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(), T0)) {
            TestInputTopic<String, String> s = driver.createInputTopic(
                    "s", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            s.pipeInput("k", "none");
            assertEquals(List.of(new KeyValue<String, String>(null, "none/null")), out.readKeyValuesToList());
        }
    }

    // Kafka's WordCount with Materialized.as("counts-store"): the aggregate's name comes before the repartition,
    // the repartition burns three generated names, and its nodes are named after the store.
    @Test
    void aRepartitionForANamedStoreIsNamedAfterTheStoreAsKafkaNamesIt() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("text")
                .flatMapValues(v -> List.of(v.split(" ")))
                .groupBy((k, w) -> w)
                .count(Materialized.as("counts-store"))
                .toStream()
                .to("counts", Produced.with(Serdes.String(), Serdes.Long()));
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertEquals(
                Set.of(
                        "KSTREAM-SOURCE-0000000000",
                        "KSTREAM-FLATMAPVALUES-0000000001",
                        "KSTREAM-KEY-SELECT-0000000002",
                        "counts-store-repartition-filter",
                        "counts-store-repartition-sink",
                        "counts-store-repartition-source",
                        "KSTREAM-AGGREGATE-0000000003",
                        "KTABLE-TOSTREAM-0000000007",
                        "KSTREAM-SINK-0000000008"),
                nodes.keySet());
        assertEquals(Set.of("counts-store-repartition"), nodes.get("counts-store-repartition-source"));
    }

    // Kafka: a generated store name is a generated prefix, so the repartition's nodes keep generated names, made in
    // the order sink, filter, source, after the aggregate's.
    @Test
    void aRepartitionForAGeneratedStoreNameUsesGeneratedNodeNamesInKafkasOrder() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in").groupBy((k, v) -> v).count();
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertEquals(
                Set.of(
                        "KSTREAM-SOURCE-0000000000",
                        "KSTREAM-KEY-SELECT-0000000001",
                        "KSTREAM-AGGREGATE-0000000003",
                        "KSTREAM-SINK-0000000004",
                        "KSTREAM-FILTER-0000000005",
                        "KSTREAM-SOURCE-0000000006"),
                nodes.keySet());
        assertEquals(
                Set.of("KSTREAM-AGGREGATE-STATE-STORE-0000000002-repartition"), nodes.get("KSTREAM-SOURCE-0000000006"));
    }

    // Kafka: a stream-table join after a key change repartitions through "<upstream node>-repartition" (or the
    // Joined name), and the join takes its name after the repartition's.
    @Test
    void aStreamTableJoinRepartitionIsNamedAfterTheUpstreamNode() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> table = builder.table("t");
        KStream<String, String> rekeyed = builder.<String, String>stream("s").selectKey((k, v) -> v);
        rekeyed.join(table, (v, t) -> v + t).to("out");
        rekeyed.leftJoin(table, (v, t) -> v + t).to("out2");
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertEquals(
                Set.of("KSTREAM-KEY-SELECT-0000000004-repartition"),
                nodes.get("KSTREAM-SOURCE-0000000007"),
                nodes.toString());
        assertTrue(nodes.containsKey("KSTREAM-JOIN-0000000008"), nodes.toString());
        long repartitionSources = nodes.values().stream()
                .filter(t -> t.contains("KSTREAM-KEY-SELECT-0000000004-repartition"))
                .count();
        assertEquals(2, repartitionSources, "both joins read one repartition topic (one sink, one source): " + nodes);
    }

    // Kafka's StreamsBuilder.table: the store's name is generated first ("<topic>-STATE-STORE-0000000000"), then the
    // source and the table source; Consumed.as names the source and "<name>-table-source".
    @Test
    void aTableSourceIsNamedAsKafkaNamesIt() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("input");
        builder.table("other", Consumed.as("other-src"));
        Topology topology = builder.build();
        Map<String, Set<String>> nodes = nodes(topology);
        assertEquals(
                Set.of("KSTREAM-SOURCE-0000000001", "KTABLE-SOURCE-0000000002", "other-src", "other-src-table-source"),
                nodes.keySet());
        Set<String> stores = new TreeSet<>();
        for (TopologyDescription.Subtopology s : topology.describe().subtopologies()) {
            for (TopologyDescription.Node n : s.nodes()) {
                if (n instanceof TopologyDescription.Processor p) {
                    stores.addAll(p.stores());
                }
            }
        }
        assertEquals(Set.of("input-STATE-STORE-0000000000", "other-STATE-STORE-0000000003"), stores);
    }

    // Kafka's BranchedKStreamImpl: split(Named.as(...)) names the splitter processor itself, and every branch burns
    // one generated name.
    @Test
    void splitNamesItsProcessorAndEachBranchBurnsAGeneratedName() {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, String>> named = builder.<String, String>stream("in")
                .split(Named.as("foo-"))
                .branch((k, v) -> v.isEmpty(), Branched.as("empty"))
                .defaultBranch();
        assertEquals(Set.of("foo-empty", "foo-0"), named.keySet());
        Map<String, KStream<String, String>> generated = builder.<String, String>stream("in2")
                .split()
                .branch((k, v) -> v.isEmpty())
                .defaultBranch();
        generated.get("KSTREAM-BRANCH-00000000041").to("out");
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertTrue(nodes.containsKey("foo-"), nodes.toString());
        // in: 0; foo-empty burns 1, foo-0 burns 2; in2: 3, its splitter 4, its branches burn 5 and 6; the sink 7
        assertTrue(nodes.containsKey("KSTREAM-SINK-0000000007"), nodes.toString());
    }

    // Kafka's TestOutputTopic.readKeyValuesToMap puts every record, a tombstone as the key mapped to null.
    @Test
    void readKeyValuesToMapKeepsATombstoneAsANullValue() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(), T0)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            in.pipeInput("a", "1");
            in.pipeInput("a", (String) null);
            Map<String, String> expected = new HashMap<>();
            expected.put("a", null);
            assertEquals(expected, out.readKeyValuesToMap());
        }
    }

    // Kafka's KTableImpl.doJoin: the merge node's name is generated first, then "this" side's, then the other's.
    @Test
    void aTableTableJoinGeneratesItsMergeNameFirst() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> left = builder.table("l");
        KTable<String, String> right = builder.table("r");
        left.join(right, (a, b) -> a + b);
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertTrue(
                nodes.keySet()
                        .containsAll(Set.of(
                                "KTABLE-MERGE-0000000006",
                                "KTABLE-JOINTHIS-0000000007",
                                "KTABLE-JOINOTHER-0000000008")),
                nodes.toString());
    }

    // Kafka's KTableFilter without sendOldValues (a filter feeding toStream) forwards a tombstone for every record
    // it drops, as KTable#filter's javadoc says; Weir always carries old values and forwards a tombstone only for a
    // key that stopped passing. Matching Kafka needs its sendOldValues plumbing (enabled by groupBy, left/outer
    // joins and materialization), which Weir does not have.
    @Test
    @org.junit.jupiter.api.Disabled(
            "departure kept: Weir suppresses the tombstones Kafka forwards for records a table filter drops")
    void aTableFilterForwardsATombstoneForEveryDroppedRecordAsKafkaDoes() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>table("t")
                .filter((k, v) -> v.startsWith("keep"))
                .toStream()
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(), T0)) {
            TestInputTopic<String, String> t = driver.createInputTopic(
                    "t", Serdes.String().serializer(), Serdes.String().serializer());
            TestOutputTopic<String, String> out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            t.pipeInput("a", "drop");
            assertEquals(List.of(new KeyValue<String, String>("a", null)), out.readKeyValuesToList());
        }
    }

    // Kafka's TopologyDescription orders a sub-topology's nodes, and each node's successors and predecessors, by
    // the size of their sub-tree (largest first), then by name (InternalTopologyBuilder.NodeComparator).
    @Test
    void describeOrdersNodesBySubTreeSizeThenNameAsKafkaDoes() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> in = builder.stream("in");
        in.to("short");
        in.mapValues(v -> v + "!").filter((k, v) -> true).to("long");
        String expected =
                """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [in])
                      --> KSTREAM-MAPVALUES-0000000002, KSTREAM-SINK-0000000001
                    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])
                      --> KSTREAM-FILTER-0000000003
                      <-- KSTREAM-SOURCE-0000000000
                    Processor: KSTREAM-FILTER-0000000003 (stores: [])
                      --> KSTREAM-SINK-0000000004
                      <-- KSTREAM-MAPVALUES-0000000002
                    Sink: KSTREAM-SINK-0000000001 (topic: short)
                      <-- KSTREAM-SOURCE-0000000000
                    Sink: KSTREAM-SINK-0000000004 (topic: long)
                      <-- KSTREAM-FILTER-0000000003

                """;
        assertEquals(expected, builder.build().describe().toString());
    }

    // Kafka's KStreamImpl.groupBy: the key-selecting processor takes the Grouped name.
    @Test
    void groupByNamesItsKeySelectorAfterTheGrouping() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupBy((k, v) -> v, Grouped.as("by-value"))
                .count();
        Map<String, Set<String>> nodes = nodes(builder.build());
        assertTrue(nodes.containsKey("by-value"), nodes.toString());
        assertTrue(nodes.containsKey("KSTREAM-AGGREGATE-0000000002"), nodes.toString());
    }

    // Kafka's TopologyTestDriver.getKeyValueStore / getTimestampedKeyValueStore: null when no such store is registered.
    @Test
    void aStoreTheTopologyDoesNotHaveIsNullAsInKafkasDriver() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(), T0)) {
            org.junit.jupiter.api.Assertions.assertNull(driver.getKeyValueStore("nope"));
            org.junit.jupiter.api.Assertions.assertNull(driver.getTimestampedKeyValueStore("nope"));
        }
    }
}
