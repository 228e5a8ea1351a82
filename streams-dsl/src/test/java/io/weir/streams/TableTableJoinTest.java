package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Named;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Table-table joins through the test driver: every change of either side, at one partition and at four. */
class TableTableJoinTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "tables");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    /** Runs the same updates through a join of tables "left" and "right", returns the joined table's changes. */
    private static List<KeyValue<String, String>> run(
            int partitions, BiFunction<KTable<String, String>, KTable<String, String>, KTable<String, String>> join) {
        StreamsBuilder builder = new StreamsBuilder();
        join.apply(builder.table("left"), builder.table("right")).toStream().to("joined");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            var left = driver.createInputTopic(
                    "left", Serdes.String().serializer(), Serdes.String().serializer());
            var right = driver.createInputTopic(
                    "right", Serdes.String().serializer(), Serdes.String().serializer());
            left.pipeInput("k", "L1");
            right.pipeInput("k", "R1");
            left.pipeInput("k", "L2");
            right.pipeInput(new TestRecord<>("k", null));
            left.pipeInput(new TestRecord<>("k", null));
            right.pipeInput("only-right", "R9");
            return driver.createOutputTopic(
                            "joined",
                            Serdes.String().deserializer(),
                            Serdes.String().deserializer())
                    .readKeyValuesToList();
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void anInnerJoinHasARowWhileBothSidesHaveTheKey(int partitions) {
        assertEquals(
                List.of(KeyValue.pair("k", "L1+R1"), KeyValue.pair("k", "L2+R1"), KeyValue.pair("k", null)),
                run(partitions, (l, r) -> l.join(r, (a, b) -> a + "+" + b)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aLeftJoinHasARowWhileTheLeftSideHasTheKey(int partitions) {
        assertEquals(
                List.of(
                        KeyValue.pair("k", "L1+null"),
                        KeyValue.pair("k", "L1+R1"),
                        KeyValue.pair("k", "L2+R1"),
                        KeyValue.pair("k", "L2+null"),
                        KeyValue.pair("k", null)),
                run(partitions, (l, r) -> l.leftJoin(r, (a, b) -> a + "+" + b)));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void anOuterJoinHasARowWhileEitherSideHasTheKey(int partitions) {
        assertEquals(
                List.of(
                        KeyValue.pair("k", "L1+null"),
                        KeyValue.pair("k", "L1+R1"),
                        KeyValue.pair("k", "L2+R1"),
                        KeyValue.pair("k", "L2+null"),
                        KeyValue.pair("k", null),
                        KeyValue.pair("only-right", "null+R9")),
                run(partitions, (l, r) -> l.outerJoin(r, (a, b) -> a + "+" + b, Named.as("both"))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aStreamCanJoinTheJoinedTable(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, String> joined =
                builder.<String, String>table("left").join(builder.table("right"), (a, b) -> a + b);
        builder.<String, String>stream("events")
                .join(joined, (e, row) -> e + ":" + row)
                .to("out");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(partitions), T0)) {
            driver.createInputTopic(
                            "left",
                            Serdes.String().serializer(),
                            Serdes.String().serializer())
                    .pipeInput("k", "a");
            driver.createInputTopic(
                            "right",
                            Serdes.String().serializer(),
                            Serdes.String().serializer())
                    .pipeInput("k", "b");
            var events = driver.createInputTopic(
                    "events", Serdes.String().serializer(), Serdes.String().serializer());
            events.pipeInput("k", "e1");
            events.pipeInput("other", "e2");
            assertEquals(
                    List.of(KeyValue.pair("k", "e1:ab")),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readKeyValuesToList());
        }
    }
}
