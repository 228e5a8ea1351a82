package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Named;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.Record;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TopologyTest {

    private static Processor<Object, Object, Object, Object> passThrough() {
        return new Processor<>() {
            @Override
            public void process(Record<Object, Object> record) {}
        };
    }

    @Test
    void describePrintsKafkasLayoutWithGeneratedNames() {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> words = builder.stream("text");
        words.filter((k, v) -> !v.isEmpty()).mapValues(v -> v.toUpperCase()).to("upper");
        builder.stream("other").to("copy");
        String expected =
                """
                Topologies:
                   Sub-topology: 0
                    Source: KSTREAM-SOURCE-0000000000 (topics: [text])
                      --> KSTREAM-FILTER-0000000001
                    Processor: KSTREAM-FILTER-0000000001 (stores: [])
                      --> KSTREAM-MAPVALUES-0000000002
                      <-- KSTREAM-SOURCE-0000000000
                    Processor: KSTREAM-MAPVALUES-0000000002 (stores: [])
                      --> KSTREAM-SINK-0000000003
                      <-- KSTREAM-FILTER-0000000001
                    Sink: KSTREAM-SINK-0000000003 (topic: upper)
                      <-- KSTREAM-MAPVALUES-0000000002

                  Sub-topology: 1
                    Source: KSTREAM-SOURCE-0000000004 (topics: [other])
                      --> KSTREAM-SINK-0000000005
                    Sink: KSTREAM-SINK-0000000005 (topic: copy)
                      <-- KSTREAM-SOURCE-0000000004

                """;
        assertEquals(expected, builder.build().describe().toString());
    }

    @Test
    void describeUsesTheNamesGiven() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in").peek((k, v) -> {}, Named.as("look")).to("out");
        TopologyDescription d = builder.build().describe();
        assertEquals(1, d.subtopologies().size());
        TopologyDescription.Subtopology only = d.subtopologies().iterator().next();
        assertEquals(List.of("KSTREAM-SOURCE-0000000000", "look", "KSTREAM-SINK-0000000001"), names(only.nodes()));
    }

    private static List<String> names(Set<TopologyDescription.Node> nodes) {
        return nodes.stream().map(TopologyDescription.Node::name).toList();
    }

    @Test
    void describeAnswersSetsInKafkasNodeOrder() {
        // A source feeding a short branch and a longer one: Kafka's NodeComparator puts the larger sub-tree first,
        // then orders by name.
        Topology t = new Topology()
                .addSource("src", "in")
                .addProcessor("z-long", TopologyTest::passThrough, "src")
                .addProcessor("a-short", TopologyTest::passThrough, "src")
                .addSink("z-sink", "out", "z-long")
                .addSink("b-sink", "out2", "z-long", "a-short");
        TopologyDescription d = t.describe();
        Set<TopologyDescription.Subtopology> subtopologies = d.subtopologies();
        TopologyDescription.Subtopology only = subtopologies.iterator().next();
        assertEquals(List.of("src", "z-long", "a-short", "b-sink", "z-sink"), names(only.nodes()));
        TopologyDescription.Node source = only.nodes().iterator().next();
        Set<TopologyDescription.Node> successors = source.successors();
        assertEquals(List.of("z-long", "a-short"), names(successors));
        TopologyDescription.Node sink = only.nodes().stream()
                .filter(n -> n.name().equals("b-sink"))
                .findFirst()
                .orElseThrow();
        Set<TopologyDescription.Node> predecessors = sink.predecessors();
        assertEquals(List.of("z-long", "a-short"), names(predecessors));
        assertThrows(UnsupportedOperationException.class, () -> successors.clear());
    }

    @Test
    void aNameUsedTwiceIsRefused() {
        Topology t = new Topology().addSource("s", "in");
        TopologyException e =
                assertThrows(TopologyException.class, () -> t.addProcessor("s", TopologyTest::passThrough, "s"));
        assertTrue(e.getMessage().contains("the name s is used by two nodes"), e.getMessage());
    }

    @Test
    void aParentThatDoesNotExistIsRefused() {
        Topology t = new Topology().addSource("s", "in");
        TopologyException e = assertThrows(TopologyException.class, () -> t.addSink("out", "topic", "nowhere"));
        assertTrue(e.getMessage().contains("node out names the parent nowhere"), e.getMessage());
    }

    @Test
    void aSinkCannotBeAParent() {
        Topology t = new Topology().addSource("s", "in").addSink("k", "out", "s");
        TopologyException e =
                assertThrows(TopologyException.class, () -> t.addProcessor("p", TopologyTest::passThrough, "k"));
        assertTrue(e.getMessage().contains("names the sink k as its parent"), e.getMessage());
    }

    @Test
    void aTopicReadByTwoSourcesIsRefused() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in");
        TopologyException e = assertThrows(TopologyException.class, () -> builder.stream("in"));
        assertTrue(
                e.getMessage().contains("topic in is read by source KSTREAM-SOURCE-0000000000 already"),
                e.getMessage());
    }

    @Test
    void anInvalidTopicNameIsRefusedNamingTheNode() {
        TopologyException e = assertThrows(TopologyException.class, () -> new Topology().addSource("s", "bad topic"));
        assertTrue(e.getMessage().contains("node s names the topic 'bad topic'"), e.getMessage());
    }

    @Test
    void aSupplierReturningOneInstanceForTwoTasksIsRefused() {
        Processor<Object, Object, Object, Object> shared = passThrough();
        Topology t = new Topology().addSource("s", "in").addProcessor("p", () -> shared, "s");
        Properties props = new Properties();
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, "2");
        TopologyException e = assertThrows(TopologyException.class, () -> new TopologyTestDriver(t, props));
        assertTrue(
                e.getMessage().contains("the supplier of processor p returned the same instance twice"),
                e.getMessage());
    }

    @Test
    void anInvalidOperatorNameIsRefused() {
        assertThrows(IllegalArgumentException.class, () -> Named.as("has space"));
    }

    @Test
    void theProcessorApiBuildsWhatTheDslDoes() {
        Topology t = new Topology()
                .addSource(
                        "source",
                        Serdes.String().deserializer(),
                        Serdes.String().deserializer(),
                        "in")
                .addProcessor(
                        "upper",
                        () -> new Processor<String, String, String, String>() {
                            private io.weir.streams.processor.api.ProcessorContext<String, String> context;

                            @Override
                            public void init(io.weir.streams.processor.api.ProcessorContext<String, String> context) {
                                this.context = context;
                            }

                            @Override
                            public void process(Record<String, String> record) {
                                context.forward(record.withValue(record.value().toUpperCase()));
                            }
                        },
                        "source")
                .addSink(
                        "sink",
                        "out",
                        Serdes.String().serializer(),
                        Serdes.String().serializer(),
                        "upper");
        try (TopologyTestDriver driver = new TopologyTestDriver(t)) {
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeInput("k", "v");
            assertEquals(
                    KeyValue.pair("k", "V"),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValue());
        }
    }
}
