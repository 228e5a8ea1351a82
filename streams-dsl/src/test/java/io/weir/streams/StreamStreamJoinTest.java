package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.StreamJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.state.Stores;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Properties;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Stream-stream joins through the test driver at one partition and at four: inner, left and outer matches within
 * {@code [t - before, t + after]}, asymmetric windows, out-of-order records inside the grace, records at and just
 * past the grace boundary (dropped and counted), non-joined results emitted only once a window closes and never
 * after a match in time, duplicates, self-joins, repartitioning and co-partitioning, store names.
 *
 * <p>Time moves per task, so every test moves it with records of the key it watches (same key, same task).
 */
class StreamStreamJoinTest {
    private static final Instant T0 = Instant.EPOCH;
    private static final ValueJoiner<String, String, String> JOIN = (l, r) -> l + "+" + r;

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ssjoin");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    /** A topology joining "left" with "right" into "out". */
    private static Topology topology(
            BiFunction<KStream<String, String>, KStream<String, String>, KStream<String, String>> join) {
        StreamsBuilder builder = new StreamsBuilder();
        join.apply(builder.stream("left"), builder.stream("right")).to("out");
        return builder.build();
    }

    /** Pipes records and reads what the join wrote, as {@code key:value@timestamp}. */
    private static final class Run implements AutoCloseable {
        final TopologyTestDriver driver;
        final TestInputTopic<String, String> left;
        final TestInputTopic<String, String> right;
        final TestOutputTopic<String, String> out;

        Run(Topology topology, int partitions) {
            driver = new TopologyTestDriver(topology, props(partitions), T0);
            left = driver.createInputTopic(
                    "left", Serdes.String().serializer(), Serdes.String().serializer());
            right = driver.createInputTopic(
                    "right", Serdes.String().serializer(), Serdes.String().serializer());
            out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
        }

        Run l(String key, String value, long time) {
            left.pipeInput(key, value, time);
            return this;
        }

        Run r(String key, String value, long time) {
            right.pipeInput(key, value, time);
            return this;
        }

        List<String> read() {
            List<String> written = new ArrayList<>();
            out.readRecordsToList().forEach(r -> written.add(r.key() + ":" + r.value() + "@" + r.timestamp()));
            return written;
        }

        List<String> readSorted() {
            List<String> written = read();
            Collections.sort(written);
            return written;
        }

        @Override
        public void close() {
            driver.close();
        }
    }

    private static JoinWindows within(long ms, long graceMs) {
        return JoinWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(ms), Duration.ofMillis(graceMs));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void innerJoinEmitsEachMatchWithinTheWindowWhenTheLaterRecordArrives(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.join(r, JOIN, within(10, 100))), partitions)) {
            run.l("a", "a1", 0).r("a", "b1", 5);
            assertEquals(List.of("a:a1+b1@5"), run.read());
            run.r("a", "b2", 11); // 11 - 0 > 10: no match
            run.r("b", "b3", 5); // another key
            assertEquals(List.of(), run.read());
            run.l("a", "a2", 12); // meets b1 (5 in [2, 22]) and b2
            assertEquals(List.of("a:a2+b1@12", "a:a2+b2@12"), run.read());
            assertEquals(0, run.driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void beforeAndAfterBoundTheOtherSidesTimestampsAsymmetrically(int partitions) {
        // A left record at t meets right records in [t - 5, t]; a right record at t meets left ones in [t, t + 5].
        JoinWindows windows = within(0, 1_000).before(Duration.ofMillis(5));
        try (Run run = new Run(topology((l, r) -> l.join(r, JOIN, windows)), partitions)) {
            run.r("a", "r4", 4).r("a", "r6", 6).r("a", "r11", 11).l("a", "l10", 10);
            assertEquals(List.of("a:l10+r6@10"), run.read());
            run.r("a", "r5", 5).r("a", "r10", 10).r("a", "r11", 11);
            assertEquals(List.of("a:l10+r5@10", "a:l10+r10@10"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void outOfOrderRecordsInsideTheGraceStillJoin(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.join(r, JOIN, within(10, 5))), partitions)) {
            run.l("a", "l20", 20).r("a", "r5", 5); // stream time 20: r5's window [-5, 15] closed at 15 + 5 = 20
            run.l("a", "l6", 6); // 20 - 6 = 14 <= 10 + 5: accepted, meets r5
            assertEquals(List.of("a:l6+r5@6"), run.read());
            assertEquals(0, run.driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRecordAtTheGraceBoundaryJoinsAndOneJustPastItIsDroppedAndCounted(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.leftJoin(r, JOIN, within(10, 5))), partitions)) {
            run.l("a", "l90", 90).l("a", "l100", 100); // stream time 100
            run.r("a", "r85", 85); // 100 - 85 = 15 = after + grace: accepted, meets l90
            assertEquals(List.of("a:l90+r85@90"), run.read());
            run.r("a", "r84", 84); // 16 past: dropped, although l90 is still waiting
            run.l("a", "l84", 84); // dropped too (its window [74, 94] closed at 99)
            assertEquals(List.of(), run.read());
            assertEquals(2, run.driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void leftJoinEmitsANonJoinedRecordOnlyOnceItsWindowHasClosed(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.leftJoin(r, JOIN, within(10, 5))), partitions)) {
            run.l("a", "x", 0).l("a", "y", 15); // x's window closes when stream time passes 0 + 10 + 5
            assertEquals(List.of(), run.read());
            run.l("a", "z", 16);
            assertEquals(List.of("a:x+null@0"), run.read());
            run.r("a", "late match", 3); // 16 - 3 = 13 <= 15: not late, but x's result is out: x joins no more
            assertEquals(List.of(), run.read());
            run.l("a", "w", 40); // y and z close (31 and 32 < 40), oldest first; w waits
            assertEquals(List.of("a:y+null@15", "a:z+null@16"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void leftJoinNeverEmitsANonJoinedResultForARecordThatFoundAMatchInTime(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.leftJoin(r, JOIN, within(10, 5))), partitions)) {
            run.l("a", "x", 0).r("a", "early", 2);
            run.l("a", "y", 14).r("a", "out of order", 4); // 14 - 4 = 10: in time; joins x and y
            run.l("a", "z", 100); // everything closes
            assertEquals(List.of("a:x+early@2", "a:x+out of order@4", "a:y+out of order@14"), run.read());
            run.l("a", "end", 200);
            assertEquals(List.of("a:z+null@100"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void outerJoinEmitsBothSidesNonJoinedRecordsOnceTheirWindowsClose(int partitions) {
        // Left records meet right ones in [t - 2, t + 8]: a left window closes at t + 8, a right one at t + 2.
        JoinWindows windows = within(8, 0).before(Duration.ofMillis(2));
        try (Run run = new Run(topology((l, r) -> l.outerJoin(r, JOIN, windows)), partitions)) {
            run.r("a", "r0", 0).l("a", "l1", 1); // l1's window [-1, 9] holds r0
            assertEquals(List.of("a:l1+r0@1"), run.read());
            run.r("a", "r10", 10).l("a", "l5", 5); // r10: nothing in [8, 12]; l5: [3, 13] holds r10
            assertEquals(List.of("a:l5+r10@10"), run.read());
            run.r("a", "r20", 20).l("a", "l21", 21); // r20 waits: its window closes at 22; l21 [19, 29] holds r20
            assertEquals(List.of("a:l21+r20@21"), run.read());
            run.r("a", "r30", 30); // nothing to meet
            run.l("a", "l40", 40); // r30 closed at 32: emitted as (null, r30)
            assertEquals(List.of("a:null+r30@30"), run.read());
            run.r("a", "r60", 60); // l40 closed at 48
            assertEquals(List.of("a:l40+null@40"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void duplicatesOfAKeyAndTimestampAreAllKept(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.leftJoin(r, JOIN, within(10, 0))), partitions)) {
            run.l("a", "x1", 5).l("a", "x2", 5).r("a", "y1", 5).r("a", "y2", 5);
            assertEquals(List.of("a:x1+y1@5", "a:x2+y1@5", "a:x1+y2@5", "a:x2+y2@5"), run.read());
            run.l("b", "p", 5).l("b", "p", 5).l("b", "q", 100);
            assertEquals(List.of("b:p+null@5", "b:p+null@5"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aSelfJoinMeetsEveryRecordOnBothSidesIncludingItself(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> s = builder.stream("left");
        s.join(s, JOIN, within(5, 0)).to("out");
        try (Run run = new Run(builder.build(), partitions)) {
            run.l("a", "1", 0);
            assertEquals(List.of("a:1+1@0"), run.read());
            run.l("a", "2", 2);
            assertEquals(List.of("a:2+1@2", "a:1+2@2", "a:2+2@2"), run.read());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aSideWhoseKeyChangedIsRepartitionedUnderTheJoinsName(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        KStream<String, String> orders = builder.<String, String>stream("left")
                .selectKey((orderId, v) -> v.split(":")[0])
                .mapValues(v -> v.split(":")[1]);
        orders.join(
                        builder.<String, String>stream("right"),
                        JOIN,
                        within(10, 0),
                        StreamJoined.<String, String, String>as("ship").withName("j"))
                .to("out");
        Topology topology = builder.build();
        String description = topology.describe().toString();
        assertTrue(description.contains("j-left-repartition"), description);
        assertTrue(!description.contains("j-right-repartition"), description);
        try (Run run = new Run(topology, partitions)) {
            for (int i = 0; i < 8; i++) {
                run.l("order" + i, "c" + (i % 3) + ":item" + i, i);
            }
            run.r("c0", "ship0", 9).r("c1", "ship1", 9).r("c2", "ship2", 9);
            assertEquals(
                    List.of(
                            "c0:item0+ship0@9",
                            "c0:item3+ship0@9",
                            "c0:item6+ship0@9",
                            "c1:item1+ship1@9",
                            "c1:item4+ship1@9",
                            "c1:item7+ship1@9",
                            "c2:item2+ship2@9",
                            "c2:item5+ship2@9"),
                    run.readSorted());
        }
    }

    @Test
    void joiningTopicsWithDifferentPartitionCountsIsRefused() {
        Properties props = props(1);
        props.put(TopologyTestDriver.TOPIC_PARTITIONS_PREFIX + "left", 2);
        props.put(TopologyTestDriver.TOPIC_PARTITIONS_PREFIX + "right", 3);
        Topology topology = topology((l, r) -> l.join(r, JOIN, within(10, 0)));
        TopologyException e = assertThrows(TopologyException.class, () -> new TopologyTestDriver(topology, props, T0));
        assertTrue(e.getMessage().contains("{left=2, right=3}"), e.getMessage());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void nullKeysAndValuesAreDroppedAndCountedExceptANullKeyOnAnOuterSide(int partitions) {
        try (Run run = new Run(topology((l, r) -> l.leftJoin(r, JOIN, within(10, 0))), partitions)) {
            run.l(null, "orphan", 1).r(null, "dropped", 1).l("a", null, 1).r("a", null, 1);
            assertEquals(List.of("null:orphan+null@1"), run.read());
            assertEquals(3, run.driver.droppedRecordsTotal());
        }
    }

    @Test
    void storesAndProcessorsAreNamedAsKafkaStreamsNamesThem() {
        String generated = topology((l, r) -> l.outerJoin(r, JOIN, within(10, 0)))
                .describe()
                .toString();
        for (String name : List.of(
                "KSTREAM-WINDOWED-0000000002",
                "KSTREAM-WINDOWED-0000000003",
                "KSTREAM-OUTERTHIS-0000000004",
                "KSTREAM-OUTEROTHER-0000000005",
                "KSTREAM-MERGE-0000000006",
                "KSTREAM-OUTERTHIS-0000000004-store",
                "KSTREAM-OUTEROTHER-0000000005-store",
                "KSTREAM-OUTERSHARED-0000000004-store")) {
            assertTrue(generated.contains(name), name + " in " + generated);
        }
        String named = topology((l, r) -> l.leftJoin(
                        r,
                        JOIN,
                        within(10, 0),
                        StreamJoined.<String, String, String>as("s").withName("j")))
                .describe()
                .toString();
        for (String name : List.of(
                "j-this-windowed",
                "j-other-windowed",
                "j-this-join",
                "j-outer-other-join",
                "j-merge",
                "s-this-join-store",
                "s-outer-other-join-store",
                "s-left-shared-join-store")) {
            assertTrue(named.contains(name), name + " in " + named);
        }
    }

    @Test
    void aStoreSupplierMustRetainDuplicatesAndKeepTheWindowAndGrace() {
        JoinWindows windows = within(10, 5);
        var tooShort = Stores.inMemoryWindowStore("l", Duration.ofMillis(25), Duration.ofMillis(20), true);
        StreamsException e = assertThrows(
                StreamsException.class,
                () -> topology((l, r) -> l.join(
                        r,
                        JOIN,
                        windows,
                        StreamJoined.<String, String, String>with(null, null, null)
                                .withThisStoreSupplier(tooShort))));
        assertTrue(e.getMessage().contains("26 ms"), e.getMessage());
        var noDuplicates = Stores.inMemoryWindowStore("l", Duration.ofMillis(26), Duration.ofMillis(20), false);
        assertThrows(
                StreamsException.class,
                () -> topology((l, r) -> l.join(
                        r,
                        JOIN,
                        windows,
                        StreamJoined.<String, String, String>with(null, null, null)
                                .withThisStoreSupplier(noDuplicates))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void inMemoryStoreSuppliersJoinAsTheDefaultStoresDo(int partitions) {
        JoinWindows windows = within(10, 5);
        StreamJoined<String, String, String> joined = StreamJoined.with(
                Stores.inMemoryWindowStore("mine", Duration.ofMillis(26), Duration.ofMillis(20), true),
                Stores.inMemoryWindowStore("theirs", Duration.ofMillis(26), Duration.ofMillis(20), true));
        try (Run run =
                new Run(topology((l, r) -> l.leftJoin(r, (k, a, b) -> k + a + b, windows, joined)), partitions)) {
            run.l("a", "x", 0).r("a", "y", 3).l("a", "z", 4).l("a", "end", 100);
            assertEquals(List.of("a:axy@3", "a:azy@4"), run.read());
        }
    }
}
