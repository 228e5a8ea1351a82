package io.weir.streams;

import static io.weir.streams.kstream.Suppressed.BufferConfig.maxBytes;
import static io.weir.streams.kstream.Suppressed.BufferConfig.maxRecords;
import static io.weir.streams.kstream.Suppressed.BufferConfig.unbounded;
import static io.weir.streams.kstream.Suppressed.untilTimeLimit;
import static io.weir.streams.kstream.Suppressed.untilWindowCloses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.record.Header;
import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.SessionWindows;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.Suppressed;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;
import io.weir.streams.processor.StateStore;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * {@code KTable.suppress} through the test driver at one partition and at four: final results of tumbling, session and
 * sliding windows (each emitted once, when stream time reaches the window's end plus the grace), out-of-order records
 * within the grace, the time limit, a full buffer (emit early, shut down), tombstones, the timestamp and headers of
 * emitted records, and Kafka Streams' node, store and changelog names. Each test advances stream time with the key it
 * checks, since at four partitions each task keeps its own.
 */
class SuppressTest {
    private static final long SEC = 1000;

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sup");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    private static TopologyTestDriver driver(StreamsBuilder builder, int partitions) {
        return new TopologyTestDriver(builder.build(), props(partitions), Instant.EPOCH);
    }

    private static TestInputTopic<String, String> input(TopologyTestDriver driver) {
        return driver.createInputTopic(
                "in", Serdes.String().serializer(), Serdes.String().serializer());
    }

    /** Collects what a windowed table emits as {@code key@start/end=value@timestamp}. */
    private static <V> void collect(KTable<Windowed<String>, V> table, List<String> out) {
        table.toStream().process(() -> new io.weir.streams.processor.api.Processor<Windowed<String>, V, Void, Void>() {
            @Override
            public void process(io.weir.streams.processor.api.Record<Windowed<String>, V> r) {
                out.add(r.key().key() + "@" + r.key().window().start() + "/"
                        + r.key().window().end() + "=" + r.value() + "@" + r.timestamp());
            }
        });
    }

    private static KTable<Windowed<String>, Long> tumblingCount(StreamsBuilder builder, boolean caching) {
        Materialized<String, Long, StateStore> counts = Materialized.as("counts");
        return builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofSeconds(5)))
                .count(caching ? counts : counts.withCachingDisabled());
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aTimeWindowsFinalResultIsEmittedOnceWhenStreamTimeReachesItsEndPlusTheGrace(int partitions) {
        for (boolean caching : new boolean[] {true, false}) {
            StreamsBuilder builder = new StreamsBuilder();
            List<String> out = new ArrayList<>();
            collect(tumblingCount(builder, caching).suppress(untilWindowCloses(unbounded())), out);
            try (TopologyTestDriver driver = driver(builder, partitions)) {
                TestInputTopic<String, String> in = input(driver);
                in.pipeInput("k", "x", 2 * SEC);
                in.pipeInput("k", "x", 14 * SEC); // [0, 10) closes at 15 s
                in.pipeInput("k", "x", 3 * SEC); // out of order, within the grace: counted
                in.pipeInput("k", "x", 15 * SEC - 1);
                assertEquals(List.of(), out, "caching " + caching);
                in.pipeInput("k", "x", 15 * SEC);
                assertEquals(List.of("k@0/10000=2@3000"), out, "caching " + caching);
                in.pipeInput("k", "x", 4 * SEC); // its window closed: dropped upstream, nothing more emitted
                in.pipeInput("k", "x", 24 * SEC);
                assertEquals(List.of("k@0/10000=2@3000"), out, "caching " + caching);
                in.pipeInput("k", "x", 25 * SEC);
                assertEquals(List.of("k@0/10000=2@3000", "k@10000/20000=3@15000"), out, "caching " + caching);
                assertEquals(1, driver.droppedRecordsTotal());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void emittedRecordsCarryTheTimestampAndHeadersOfTheirNewestUpdate(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        tumblingCount(builder, false)
                .suppress(untilWindowCloses(unbounded()))
                .toStream()
                .to(
                        "out",
                        Produced.with(
                                new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), 10 * SEC), Serdes.Long()));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput(
                    new TestRecord<>("k", "x", List.of(new Header("h", new byte[] {1})), Instant.ofEpochSecond(1)));
            in.pipeInput(
                    new TestRecord<>("k", "x", List.of(new Header("h", new byte[] {2})), Instant.ofEpochSecond(4)));
            in.pipeInput(
                    new TestRecord<>("k", "x", List.of(new Header("h", new byte[] {3})), Instant.ofEpochSecond(2)));
            in.pipeInput(new TestRecord<>("k", "x", List.of(), Instant.ofEpochSecond(16)));
            List<TestRecord<Windowed<String>, Long>> out = driver.createOutputTopic(
                            "out",
                            new WindowedSerdes.TimeWindowedSerde<>(Serdes.String(), 10 * SEC).deserializer(),
                            Serdes.Long().deserializer())
                    .readRecordsToList();
            assertEquals(1, out.size(), out.toString());
            assertEquals(3L, out.get(0).value());
            // The newest update came from the record at 2 s; the window's aggregate is stamped with its newest record.
            assertEquals(4 * SEC, out.get(0).timestamp());
            assertEquals(List.of(new Header("h", new byte[] {3})), out.get(0).headers());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aWindowWhoseFinalValueIsATombstoneIsNotEmitted(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> out = new ArrayList<>();
        collect(
                builder.<String, String>stream("in")
                        .groupByKey()
                        .windowedBy(TimeWindows.ofSizeWithNoGrace(Duration.ofSeconds(10)))
                        .count()
                        .filter((k, v) -> v < 2) // a second record deletes the window
                        .suppress(untilWindowCloses(unbounded())),
                out);
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 1 * SEC);
            in.pipeInput("k", "x", 2 * SEC);
            in.pipeInput("k", "x", 20 * SEC);
            in.pipeInput("k", "x", 35 * SEC);
            assertEquals(List.of("k@20000/30000=1@20000"), out);
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void sessionFinalResultsWaitForTheGapAndTheGraceAfterTheSessionEnds(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> out = new ArrayList<>();
        collect(
                builder.<String, String>stream("in")
                        .groupByKey()
                        .windowedBy(
                                SessionWindows.ofInactivityGapAndGrace(Duration.ofSeconds(5), Duration.ofSeconds(1)))
                        .count()
                        .suppress(untilWindowCloses(unbounded())),
                out);
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 0);
            in.pipeInput("k", "x", 3 * SEC); // merges into [0, 3]
            in.pipeInput("k", "x", 8 * SEC); // merges into [0, 8]: closes at 8 + 5 + 1 = 14 s
            in.pipeInput("k", "x", 14 * SEC - 1);
            assertEquals(List.of(), out);
            in.pipeInput("k", "x", 14 * SEC); // a new session; [0, 8] closes, the merged-away sessions emit nothing
            assertEquals(List.of("k@0/8000=3@8000"), out);
            in.pipeInput("k", "x", 100 * SEC);
            assertEquals(List.of("k@0/8000=3@8000", "k@13999/14000=2@14000"), out);
        }
    }

    /** Kafka Streams' {@code SuppressScenarioTest.shouldSupportFinalResultsForSlidingWindows}, with its expectations. */
    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void slidingWindowsRawAndFinalResultsAreKafkaStreams(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> raw = new ArrayList<>();
        List<String> suppressed = new ArrayList<>();
        KTable<Windowed<String>, Long> counts = builder.stream("in", Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((k, v) -> k, Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(5), Duration.ofMillis(15)))
                .count(Materialized.<String, Long, StateStore>as("counts")
                        .withCachingDisabled()
                        .withKeySerde(Serdes.String()));
        collect(counts.suppress(untilWindowCloses(unbounded())), suppressed);
        collect(counts, raw);
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            for (long t : new long[] {10, 11, 10, 13, 10, 24, 5, 7, 90}) {
                in.pipeInput("k1", "v1", t);
            }
        }
        // Kafka's test sorts by window, then timestamp (a stable sort: updates at one timestamp keep their order).
        raw.sort(java.util.Comparator.comparing((String s) -> s.substring(0, s.indexOf('=')))
                .thenComparing(s -> Long.parseLong(s.substring(s.lastIndexOf('@') + 1))));
        assertEquals(
                List.of(
                        "k1@11/16=1@11",
                        "k1@11/16=2@13",
                        "k1@12/17=1@13",
                        "k1@19/24=1@24",
                        "k1@5/10=1@10",
                        "k1@5/10=2@10",
                        "k1@5/10=3@10",
                        "k1@5/10=4@10",
                        "k1@5/10=5@10",
                        "k1@6/11=2@11",
                        "k1@6/11=3@11",
                        "k1@6/11=4@11",
                        "k1@6/11=5@11",
                        "k1@8/13=4@13",
                        "k1@8/13=5@13",
                        "k1@85/90=1@90"),
                raw);
        assertEquals(
                List.of(
                        "k1@5/10=5@10",
                        "k1@6/11=5@11",
                        "k1@8/13=5@13",
                        "k1@11/16=2@13",
                        "k1@12/17=1@13",
                        "k1@19/24=1@24"),
                suppressed);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aTimeLimitEmitsAKeysNewestValueOnceStreamTimePassesItsFirstBufferedUpdate(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> out = new ArrayList<>();
        builder.<String, String>stream("in")
                .groupByKey()
                .count()
                .suppress(untilTimeLimit(Duration.ofSeconds(10), unbounded()))
                .toStream()
                .foreach((k, v) -> out.add(k + "=" + v));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("k", "x", 0);
            in.pipeInput("k", "x", 5 * SEC); // replaces the value, keeps the buffer time 0
            assertEquals(List.of(), out);
            in.pipeInput("k", "x", 10 * SEC);
            assertEquals(List.of("k=3"), out);
            in.pipeInput("k", "x", 12 * SEC); // buffered anew at 12 s
            in.pipeInput("k", "x", 22 * SEC - 1);
            assertEquals(List.of("k=3"), out);
            in.pipeInput("k", "x", 22 * SEC);
            assertEquals(List.of("k=3", "k=6"), out);
        }
    }

    @Test
    void aFullEagerBufferEmitsItsOldestKeysEarly() {
        for (Suppressed.EagerBufferConfig config : List.of(maxRecords(1), maxBytes(60))) {
            StreamsBuilder builder = new StreamsBuilder();
            List<String> out = new ArrayList<>();
            builder.<String, String>stream("in")
                    .groupByKey()
                    .count()
                    .suppress(untilTimeLimit(Duration.ofHours(1), config))
                    .toStream()
                    .foreach((k, v) -> out.add(k + "=" + v));
            try (TopologyTestDriver driver = driver(builder, 1)) {
                TestInputTopic<String, String> in = input(driver);
                in.pipeInput("a", "x", 1);
                in.pipeInput("a", "x", 2); // still one key
                assertEquals(List.of(), out, config.toString());
                in.pipeInput("b", "x", 3); // two keys: the oldest leaves
                assertEquals(List.of("a=2"), out, config.toString());
                in.pipeInput("c", "x", 4);
                assertEquals(List.of("a=2", "b=1"), out, config.toString());
            }
        }
    }

    @Test
    void aFullStrictBufferStopsTheApplicationWithAStreamsException() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .count()
                .suppress(untilTimeLimit(Duration.ofHours(1), maxRecords(1).shutDownWhenFull())
                        .withName("limited"))
                .toStream()
                .foreach((k, v) -> {});
        try (TopologyTestDriver driver = driver(builder, 1)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("a", "x", 1);
            StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput("b", "x", 2));
            assertTrue(
                    e.getMessage().contains("limited buffer exceeded its max capacity. Currently [2/1] records"),
                    e.getMessage());
        }
    }

    @Test
    void aTimeLimitForwardsTombstones() {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> out = new ArrayList<>();
        builder.<String, String>table("in", Materialized.as("t"))
                .suppress(untilTimeLimit(Duration.ofMillis(10), unbounded()))
                .toStream()
                .foreach((k, v) -> out.add(k + "=" + v));
        try (TopologyTestDriver driver = driver(builder, 1)) {
            TestInputTopic<String, String> in = input(driver);
            in.pipeInput("a", "x", 0);
            in.pipeInput("a", null, 1); // replaces x in the buffer: a's newest value is the deletion
            in.pipeInput("b", "y", 20);
            assertEquals(List.of("a=null"), out);
            in.pipeInput("b", "z", 30);
            assertEquals(List.of("a=null", "b=z"), out);
        }
    }

    @Test
    void untilWindowClosesOnATableNotWindowedIsRejected() {
        StreamsBuilder builder = new StreamsBuilder();
        KTable<String, Long> counts =
                builder.<String, String>stream("in").groupByKey().count();
        @SuppressWarnings({"unchecked", "rawtypes"})
        Suppressed<String> finalResults = (Suppressed) untilWindowCloses(unbounded());
        TopologyException e = assertThrows(TopologyException.class, () -> counts.suppress(finalResults));
        assertTrue(
                e.getMessage().contains("Window close time is only defined for windowed computations"), e.getMessage());
    }

    @Test
    void negativeBoundsAndTimeLimitsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> maxRecords(-1));
        assertThrows(IllegalArgumentException.class, () -> unbounded().withMaxBytes(-1));
        assertThrows(IllegalArgumentException.class, () -> untilTimeLimit(Duration.ofMillis(-1), unbounded()));
    }

    private static StreamsBuilder kafkaSuppressTopology(Suppressed<Windowed> suppressed) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("input", Consumed.with(Serdes.String(), Serdes.String()))
                .groupBy((String k, String v) -> k, Grouped.with(Serdes.String(), Serdes.String()))
                .windowedBy(SessionWindows.ofInactivityGapAndGrace(Duration.ofMillis(5), Duration.ofMillis(5)))
                .count(Materialized.<String, Long, StateStore>as("counts").withCachingDisabled())
                .suppress(suppressed)
                .toStream()
                .map((Windowed<String> k, Long v) -> new KeyValue<>(k.toString(), v))
                .to("output-suppressed", Produced.with(Serdes.String(), Serdes.Long()));
        return builder;
    }

    /** Kafka Streams' {@code SuppressTopologyTest}: generated and given names of the node and its store. */
    @Test
    void theSuppressionNodeAndItsStoreTakeKafkaStreamsNames() {
        String anonymous = kafkaSuppressTopology(untilWindowCloses(unbounded()))
                .build()
                .describe()
                .toString();
        assertTrue(
                anonymous.contains("    Processor: KTABLE-SUPPRESS-0000000006 (stores: "
                        + "[KTABLE-SUPPRESS-STATE-STORE-0000000007])\n"
                        + "      --> KTABLE-TOSTREAM-0000000008\n"
                        + "      <-- KSTREAM-AGGREGATE-0000000002\n"),
                anonymous);
        String named = kafkaSuppressTopology(untilWindowCloses(unbounded()).withName("myname"))
                .build()
                .describe()
                .toString();
        assertTrue(
                named.contains("    Processor: myname (stores: [myname-store])\n"
                        + "      --> KTABLE-TOSTREAM-0000000006\n"
                        + "      <-- KSTREAM-AGGREGATE-0000000002\n"),
                named);
    }

    @Test
    void aBufferWithoutChangelogSuppressesAlike() {
        StreamsBuilder builder = new StreamsBuilder();
        List<String> out = new ArrayList<>();
        builder.<String, String>stream("in")
                .groupByKey()
                .count()
                .suppress(untilTimeLimit(Duration.ZERO, unbounded().withLoggingDisabled())
                        .withName("held"))
                .toStream()
                .foreach((k, v) -> out.add(k + "=" + v));
        try (TopologyTestDriver driver = driver(builder, 1)) {
            input(driver).pipeInput("a", "x", 1);
            input(driver).pipeInput("a", "x", 2);
            assertEquals(List.of("a=1", "a=2"), out); // a zero time limit emits every update at once
        }
    }
}
