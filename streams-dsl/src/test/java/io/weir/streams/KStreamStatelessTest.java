package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.Branched;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.function.Consumer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Each stateless operator through the test driver, at 1 partition and at 4 (where every key's records go to one
 * task of their own partition, so results per key must not change, only the interleaving across keys).
 */
class KStreamStatelessTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "stateless-test");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    /** Pipes {@code input} (key:value strings) into "in", returns "out" as key:value strings, sorted per key. */
    private static Map<String, List<String>> run(
            int partitions, Consumer<KStream<String, String>> topology, String... input) {
        StreamsBuilder builder = new StreamsBuilder();
        topology.accept(builder.stream("in"));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            for (String kv : input) {
                String[] parts = kv.split(":", 2);
                in.pipeInput(parts[0], parts[1]);
            }
            TestOutputTopic<String, String> out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            Map<String, List<String>> byKey = new HashMap<>();
            for (KeyValue<String, String> kv : out.readKeyValuesToList()) {
                byKey.computeIfAbsent(String.valueOf(kv.key()), k -> new ArrayList<>())
                        .add(kv.value());
            }
            return byKey;
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void filterKeepsTheRecordsThePredicateHoldsFor(int partitions) {
        Map<String, List<String>> out = run(
                partitions,
                s -> s.filter((k, v) -> v.startsWith("keep")).to("out"),
                "a:keep1",
                "a:drop",
                "b:keep2",
                "a:keep3");
        assertEquals(Map.of("a", List.of("keep1", "keep3"), "b", List.of("keep2")), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void filterNotDropsThem(int partitions) {
        Map<String, List<String>> out = run(
                partitions, s -> s.filterNot((k, v) -> v.startsWith("drop")).to("out"), "a:keep1", "a:drop", "b:drop");
        assertEquals(Map.of("a", List.of("keep1")), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void mapReplacesKeyAndValue(int partitions) {
        Map<String, List<String>> out =
                run(partitions, s -> s.map((k, v) -> KeyValue.pair(v, k)).to("out"), "a:x", "b:x", "c:y");
        assertEquals(Map.of("x", List.of("a", "b"), "y", List.of("c")), sorted(out));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void mapValuesSeesTheKeyWhenAsked(int partitions) {
        Map<String, List<String>> out = run(
                partitions,
                s -> s.mapValues(v -> v.toUpperCase())
                        .mapValues((k, v) -> k + "=" + v)
                        .to("out"),
                "a:x",
                "b:y");
        assertEquals(Map.of("a", List.of("a=X"), "b", List.of("b=Y")), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void flatMapAndFlatMapValuesEmitZeroOrMore(int partitions) {
        Map<String, List<String>> out = run(
                partitions,
                s -> s.flatMapValues(v -> Arrays.asList(v.split(" ")))
                        .flatMap((k, v) ->
                                v.isEmpty() ? List.of() : List.of(KeyValue.pair(v, k), KeyValue.pair(v, k + "!")))
                        .to("out"),
                "a:x y",
                "b:",
                "c:x");
        assertEquals(Map.of("x", List.of("a", "a!", "c", "c!"), "y", List.of("a", "a!")), sorted(out));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void selectKeyKeepsTheValue(int partitions) {
        Map<String, List<String>> out =
                run(partitions, s -> s.selectKey((k, v) -> v.substring(0, 1)).to("out"), "a:x1", "b:x2", "c:y1");
        assertEquals(Map.of("x", List.of("x1", "x2"), "y", List.of("y1")), sorted(out));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void peekAndForeachSeeEveryRecord(int partitions) {
        List<String> peeked = new ArrayList<>();
        List<String> each = new ArrayList<>();
        Map<String, List<String>> out = run(
                partitions,
                s -> {
                    KStream<String, String> p = s.peek((k, v) -> peeked.add(k + v));
                    p.foreach((k, v) -> each.add(k + v));
                    p.to("out");
                },
                "a:1",
                "b:2");
        assertEquals(Set.of("a1", "b2"), new HashSet<>(peeked));
        assertEquals(Set.of("a1", "b2"), new HashSet<>(each));
        assertEquals(Map.of("a", List.of("1"), "b", List.of("2")), out);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void mergeInterleavesTwoStreams(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> left = builder.stream("left");
        KStream<String, String> right = builder.stream("right");
        left.merge(right, Named.as("both")).to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var l = driver.createInputTopic(
                    "left", Serdes.String().serializer(), Serdes.String().serializer());
            var r = driver.createInputTopic(
                    "right", Serdes.String().serializer(), Serdes.String().serializer());
            l.pipeInput("k", "l1");
            r.pipeInput("k", "r1");
            l.pipeInput("k", "l2");
            var out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            assertEquals(List.of("l1", "r1", "l2"), out.readValuesToList());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void splitSendsEachRecordToItsFirstMatchingBranch(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> consumed = new ArrayList<>();
        Map<String, KStream<String, String>> branches = builder.<String, String>stream("in")
                .split(Named.as("size-"))
                .branch((k, v) -> v.length() > 3, Branched.as("long"))
                .branch((k, v) -> v.length() > 1, Branched.withFunction(s -> s.mapValues(v -> v + "!"), "medium"))
                .branch((k, v) -> v.equals("x"), Branched.withConsumer(s -> s.foreach((k, v) -> consumed.add(v))))
                .defaultBranch(Branched.as("short"));
        assertEquals(Set.of("size-long", "size-medium", "size-short"), branches.keySet());
        branches.get("size-long").to("long");
        branches.get("size-medium").to("medium");
        branches.get("size-short").to("short");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            for (String v : List.of("abcdef", "ab", "x", "y", "abcd")) {
                in.pipeInput("k", v);
            }
            assertEquals(List.of("abcdef", "abcd"), read(driver, "long"));
            assertEquals(List.of("ab!"), read(driver, "medium"));
            assertEquals(List.of("y"), read(driver, "short"));
            assertEquals(List.of("x"), consumed);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void noDefaultBranchDropsTheRest(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, KStream<String, String>> branches = builder.<String, String>stream("in")
                .split()
                .branch((k, v) -> v.startsWith("a"))
                .noDefaultBranch();
        assertEquals(1, branches.size());
        branches.values().iterator().next().to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeValueList(List.of("a1", "b1", "a2"));
            assertEquals(List.of("a1", "a2"), read(driver, "out"));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void toWithAnExtractorChoosesTheTopicPerRecordAndProducedSetsSerdes(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .to((k, v, ctx) -> v % 2 == 0 ? "even" : "odd", Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.Long().serializer());
            for (long i = 0; i < 5; i++) {
                in.pipeInput("k", i);
            }
            assertEquals(
                    List.of(0L, 2L, 4L),
                    driver.createOutputTopic(
                                    "even",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readValuesToList());
            assertEquals(
                    List.of(1L, 3L),
                    driver.createOutputTopic(
                                    "odd",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readValuesToList());
            assertEquals(Set.of("even", "odd"), driver.producedTopicNames());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void processRunsAProcessorPerTaskAndEveryKeyStaysInOneTask(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        Map<String, Set<String>> tasksOfKey = new HashMap<>();
        builder.<String, String>stream("in")
                .process(() -> new Processor<String, String, String, String>() {
                    private ProcessorContext<String, String> context;
                    private int seen;

                    @Override
                    public void init(ProcessorContext<String, String> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(Record<String, String> record) {
                        seen++;
                        tasksOfKey
                                .computeIfAbsent(record.key(), k -> new HashSet<>())
                                .add(context.taskId().toString());
                        context.forward(record.withValue(record.value() + "#" + seen));
                    }
                })
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            assertEquals(partitions, driver.tasks().size());
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            for (int i = 0; i < 40; i++) {
                in.pipeInput("key" + (i % 10), "v");
            }
            tasksOfKey.values().forEach(tasks -> assertEquals(1, tasks.size(), "a key's records all go to one task"));
            Set<String> used = new HashSet<>();
            tasksOfKey.values().forEach(used::addAll);
            assertEquals(partitions, used.size(), "ten keys spread over every partition");
            assertEquals(
                    40,
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .getQueueSize());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRecordWrittenToATopicTheTopologyReadsIsProcessedAgain(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in").selectKey((k, v) -> v).to("rekeyed");
        builder.<String, String>stream("rekeyed")
                .mapValues((k, v) -> "seen " + k)
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            assertEquals(2 * partitions, driver.tasks().size(), "two sub-topologies, one task per partition each");
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("a", "x");
            in.pipeInput("b", "y");
            assertEquals(
                    Map.of("x", "seen x", "y", "seen y"),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToMap());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void anExceptionInUserCodeNamesTheTaskProcessorAndRecord(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .mapValues(
                        v -> {
                            throw new IllegalStateException("boom on " + v);
                        },
                        Named.as("exploding"))
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput("k", "v"));
            assertTrue(e.getMessage().contains("processor exploding"), e.getMessage());
            assertTrue(e.getMessage().contains("offset 0 of in-"), e.getMessage());
            assertTrue(e.getMessage().contains("boom on v"), e.getMessage());
        }
    }

    private static List<String> read(TopologyTestDriver driver, String topic) {
        return driver.createOutputTopic(
                        topic, Serdes.String().deserializer(), Serdes.String().deserializer())
                .readValuesToList();
    }

    private static Map<String, List<String>> sorted(Map<String, List<String>> byKey) {
        Map<String, List<String>> out = new HashMap<>();
        byKey.forEach((k, v) -> out.put(k, v.stream().sorted().toList()));
        return out;
    }
}
