package io.weir.streams.sliding;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.serialization.Serdes;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.TestInputTopic;
import io.weir.streams.TopologyTestDriver;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.TimeWindowedKStream;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlyWindowStore;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Sliding windows through the test driver at one partition and at four: the windows KIP-450 defines, early records,
 * count and reduce, the store's retention and bad arguments. {@link SlidingWindowsProperties} checks random inputs.
 */
class SlidingWindowsTest {

    private static TopologyTestDriver driver(StreamsBuilder builder, int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sliding");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return new TopologyTestDriver(builder.build(), props);
    }

    private static TimeWindowedKStream<String, String> windowed(StreamsBuilder builder, long d, long grace) {
        return builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(d), Duration.ofMillis(grace)));
    }

    private static <V> Map<String, V> windows(ReadOnlyWindowStore<String, V> store) {
        Map<String, V> out = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, V> it = store.all()) {
            it.forEachRemaining(kv -> out.put(
                    kv.key().key() + "@" + kv.key().window().start() + "/"
                            + kv.key().window().end(),
                    kv.value()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void eachRecordHasItsLeftWindowAndARightWindowOnceALaterRecordFallsInIt(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        windowed(builder, 10, 100).reduce((a, b) -> a + b, Materialized.as("concat"));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "a", 100);
            in.pipeInput("k", "b", 105);
            in.pipeInput("k", "c", 120); // more than 10 after b: no right window for b, a window alone
            in.pipeInput("k", "d", 103); // out of order, within the grace
            assertEquals(
                    Map.of(
                            "k@90/100", "a",
                            "k@95/105", "abd",
                            "k@93/103", "ad",
                            "k@101/111", "bd",
                            "k@104/114", "b",
                            "k@110/120", "c"),
                    windows(driver.getWindowStore("concat")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void recordsBeforeTheTimeDifferenceShareTheFirstWindow(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        windowed(builder, 10, 100).count(Materialized.as("counts"));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "x", 2);
            in.pipeInput("k", "x", 7);
            in.pipeInput("k", "x", 15);
            assertEquals(
                    Map.of("k@0/10", 2L, "k@3/13", 1L, "k@5/15", 2L, "k@8/18", 1L),
                    windows(driver.<String, Long>getWindowStore("counts")));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aRecordWhoseRightWindowIsClosedIsDroppedAndCounted(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        windowed(builder, 10, 5).count(Materialized.as("counts"));
        try (TopologyTestDriver driver = driver(builder, partitions)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "x", 100); // close time 95
            in.pipeInput("k", "x", 92); // updates [90, 100], creates its right window; its left [82, 92] is closed
            in.pipeInput("k", "x", 84); // its right window [85, 95] is closed: dropped
            assertEquals(
                    Map.of("k@90/100", 2L, "k@93/103", 1L), windows(driver.<String, Long>getWindowStore("counts")));
            assertEquals(2, driver.droppedRecordsTotal()); // the closed window 92 missed, and 84
        }
    }

    @Test
    void aRetentionShorterThanTwiceTheTimeDifferencePlusTheGraceIsRejected() {
        StreamsBuilder builder = new StreamsBuilder();
        TimeWindowedKStream<String, String> w = windowed(builder, 10, 5);
        assertThrows(
                IllegalArgumentException.class,
                () -> w.count(Materialized.<String, Long, StateStore>as("c").withRetention(Duration.ofMillis(24))));
        w.count(Materialized.<String, Long, StateStore>as("d").withRetention(Duration.ofMillis(25)));
    }

    @Test
    void aTimeDifferenceThatIsNotPositiveOrANegativeGraceIsRejected() {
        assertThrows(IllegalArgumentException.class, () -> SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(-1), Duration.ZERO));
        assertThrows(
                IllegalArgumentException.class,
                () -> SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(5), Duration.ofMillis(-1)));
        assertEquals(
                10,
                SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(10))
                        .timeDifferenceMs());
        assertEquals(
                0,
                SlidingWindows.ofTimeDifferenceWithNoGrace(Duration.ofMillis(10))
                        .gracePeriodMs());
    }
}
