package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlySessionStore;
import io.weir.streams.state.ReadOnlyWindowStore;
import io.weir.streams.state.Stores;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Windowed aggregations through the test driver at one partition and at four: tumbling, hopping and session
 * windows, grace boundaries (a record at exactly the close time is dropped, one just before it updates its window),
 * out-of-order records inside the grace, the dropped-records count, and the windowed table's caching.
 */
class WindowedAggregationTest {
    private static final Instant T0 = Instant.ofEpochMilli(0);
    private static final long SEC = 1000;

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "win");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    private static TopologyTestDriver driver(StreamsBuilder builder, int partitions) {
        return new TopologyTestDriver(builder.build(), props(partitions), T0);
    }

    private static TestInputTopic<String, String> input(TopologyTestDriver driver) {
        return driver.createInputTopic(
                "in", Serdes.String().serializer(), Serdes.String().serializer());
    }

    private static Map<String, Long> windows(ReadOnlyWindowStore<String, Long> store) {
        Map<String, Long> out = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Long> it = store.all()) {
            it.forEachRemaining(
                    kv -> out.put(kv.key().key() + "@" + kv.key().window().start(), kv.value()));
        }
        return out;
    }

    /** Tumbling count of 10 s windows with 5 s grace, materialized as "counts", output keyed by windowed serde. */
    private static StreamsBuilder tumblingCount() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .count(Materialized.as("counts"))
                .toStream()
                .to(
                        "out",
                        Produced.with(
                                new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), 10 * SEC), Serdes.Long()));
        return builder;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void tumblingCountPutsEachRecordInItsWindowAndEmitsWindowedKeys(int partitions) {
        try (TopologyTestDriver driver = driver(tumblingCount(), partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("a", "x", 1 * SEC);
            in.pipeInput("a", "x", 9 * SEC);
            in.pipeInput("b", "x", 3 * SEC);
            in.pipeInput("a", "x", 10 * SEC);
            assertEquals(Map.of("a@0", 2L, "a@10000", 1L, "b@0", 1L), windows(driver.getWindowStore("counts")));
            List<TestRecord<Windowed<String>, Long>> out = driver.createOutputTopic(
                            "out",
                            new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), 10 * SEC).deserializer(),
                            Serdes.Long().deserializer())
                    .readRecordsToList();
            Map<String, Long> last = new TreeMap<>();
            for (TestRecord<Windowed<String>, Long> r : out) {
                last.put(
                        r.key().key() + "@" + r.key().window().start() + "-"
                                + r.key().window().end(),
                        r.value());
            }
            assertEquals(Map.of("a@0-10000", 2L, "a@10000-20000", 1L, "b@0-10000", 1L), last);
            assertEquals(0, driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRecordAtTheCloseTimeIsDroppedAndCountedAndOneBeforeItUpdatesItsWindow(int partitions) {
        try (TopologyTestDriver driver = driver(tumblingCount(), partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 2 * SEC);
            in.pipeInput("k", "x", 14 * SEC); // stream time 14 s: window [0, 10) closes at 10 + 5 = 15 s
            in.pipeInput("k", "x", 3 * SEC); // out of order, inside the grace: counted in [0, 10)
            in.pipeInput("k", "x", 15 * SEC - 1);
            in.pipeInput("k", "x", 4 * SEC); // stream time 15 s - 1 ms: still open
            assertEquals(3L, driver.<String, Long>getWindowStore("counts").fetch("k", 0L));
            in.pipeInput("k", "x", 15 * SEC); // stream time reaches 15 s: [0, 10) is closed
            in.pipeInput("k", "x", 5 * SEC);
            assertEquals(1, driver.droppedRecordsTotal());
            assertEquals(3L, driver.<String, Long>getWindowStore("counts").fetch("k", 10 * SEC));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void hoppingWindowsCountARecordInEveryWindowThatHoldsIt(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(
                        TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)).advanceBy(Duration.ofSeconds(5)))
                .count(Materialized.as("hops"));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 7 * SEC); // windows [0, 10) and [5, 15)
            in.pipeInput("k", "x", 12 * SEC); // [5, 15) and [10, 20)
            // The store keeps windows for size + grace after the newest window start (10 s): [0, 10) closed at 10 s
            // and left the store with it, as in Kafka Streams.
            assertEquals(Map.of("k@5000", 2L, "k@10000", 1L), windows(driver.getWindowStore("hops")));
            in.pipeInput("k", "x", 9 * SEC); // [0, 10) closed; [5, 15) still open
            assertEquals(Map.of("k@5000", 3L, "k@10000", 1L), windows(driver.getWindowStore("hops")));
            assertEquals(1, driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void windowedReduceAndAggregateFoldValuesPerWindow(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        var windowed = builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        windowed.reduce((a, b) -> a + b, Materialized.as("concat"));
        windowed.aggregate(
                () -> 0L,
                (k, v, agg) -> agg + v.length(),
                Materialized.<String, Long, io.weir.streams.processor.StateStore>as(Stores.inMemoryWindowStore(
                                "lengths", Duration.ofMinutes(1), Duration.ofSeconds(10), false))
                        .withValueSerde(Serdes.Long()));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "ab", 1 * SEC);
            in.pipeInput("k", "c", 2 * SEC);
            in.pipeInput("k", "def", 11 * SEC);
            ReadOnlyWindowStore<String, String> concat = driver.getWindowStore("concat");
            assertEquals("abc", concat.fetch("k", 0L));
            assertEquals("def", concat.fetch("k", 10 * SEC));
            assertEquals(Map.of("k@0", 3L, "k@10000", 3L), windows(driver.getWindowStore("lengths")));
        }
    }

    @Test
    void aRetentionShorterThanWindowAndGraceIsRejected() {
        StreamsBuilder builder = new StreamsBuilder();
        var windowed = builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5)));
        assertThrows(
                IllegalArgumentException.class,
                () -> windowed.count(Materialized.<String, Long, io.weir.streams.processor.StateStore>as("c")
                        .withRetention(Duration.ofSeconds(14))));
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void theCachedWindowedTableEmitsOneUpdatePerWindowPerCommitWithTheOldValue(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> changes = new ArrayList<>();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)))
                .count(Materialized.as("counts"))
                .toStream()
                .foreach((k, v) -> changes.add(k.key() + "@" + k.window().start() + "=" + v));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 1 * SEC);
            in.pipeInput("k", "x", 2 * SEC);
            assertEquals(List.of("k@0=1", "k@0=2"), changes);
        }
    }

    private static Map<String, Long> sessions(ReadOnlySessionStore<String, Long> store, String key) {
        Map<String, Long> out = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Long> it = store.fetch(key)) {
            it.forEachRemaining(kv ->
                    out.put(kv.key().window().start() + "-" + kv.key().window().end(), kv.value()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void sessionCountMergesSessionsThatARecordBridgesAndDropsRecordsPastTheGrace(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> changes = new ArrayList<>();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(10)))
                .count(Materialized.<String, Long, io.weir.streams.processor.StateStore>as("sessions")
                        .withCachingDisabled())
                .toStream()
                .foreach((k, v) ->
                        changes.add(k.window().start() + "-" + k.window().end() + "=" + v));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 0);
            in.pipeInput("k", "x", 10 * SEC); // more than the gap after 0: a second session
            assertEquals(Map.of("0-0", 1L, "10000-10000", 1L), sessions(driver.getSessionStore("sessions"), "k"));
            in.pipeInput("k", "x", 5 * SEC); // within 5 s of both: they merge
            assertEquals(Map.of("0-10000", 3L), sessions(driver.getSessionStore("sessions"), "k"));
            assertEquals(List.of("0-0=1", "10000-10000=1", "0-0=null", "10000-10000=null", "0-10000=3"), changes);
            assertEquals(3L, driver.<String, Long>getSessionStore("sessions").fetchSession("k", 0, 10 * SEC));
            assertNull(driver.<String, Long>getSessionStore("sessions").fetchSession("k", 0, 5 * SEC));
            in.pipeInput("k", "x", 30 * SEC);
            // close time 30 - 10 - 5 = 15 s: a record at 14 s forms a session ending before it: dropped
            in.pipeInput("k", "x", 14 * SEC);
            in.pipeInput("k", "x", 20 * SEC); // ends after the close time: kept
            // The store keeps sessions for gap + grace after the newest end: [0, 10] has left it.
            assertEquals(
                    Map.of("20000-20000", 1L, "30000-30000", 1L), sessions(driver.getSessionStore("sessions"), "k"));
            assertEquals(1, driver.droppedRecordsTotal());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void sessionAggregateUsesTheMergerWhenSessionsJoin(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(SessionWindows.ofInactivityGapWithNoGrace(Duration.ofSeconds(5)))
                .aggregate(
                        () -> "",
                        (k, v, agg) -> agg + v,
                        (k, a, b) -> a + "|" + b,
                        Materialized.as(Stores.inMemorySessionStore("agg", Duration.ofMinutes(1))));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "a", 0);
            in.pipeInput("k", "b", 8 * SEC);
            in.pipeInput("k", "c", 4 * SEC);
            ReadOnlySessionStore<String, String> store = driver.getSessionStore("agg");
            assertEquals("|a|bc", store.fetchSession("k", 0, 8 * SEC));
        }
    }
}
