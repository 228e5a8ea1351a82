package io.weir.streams.sliding;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.common.serialization.Serdes;
import io.weir.streams.StreamsBuilder;
import io.weir.streams.StreamsConfig;
import io.weir.streams.TestInputTopic;
import io.weir.streams.TopologyTestDriver;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;

/**
 * Sliding-window aggregation against a brute-force model of KIP-450's definition, over random timestamp sequences
 * (duplicates, out of order, early records before the time difference, records past the grace).
 *
 * <p>The model: of a key's accepted records, every record at {@code t >= d} defines its window {@code [t - d, t]},
 * every record before {@code d} the shared window {@code [0, d]}, and every record at {@code t} the window
 * {@code [t + 1, t + 1 + d]} if a later record falls in it; each window holds the records within its bounds (both
 * inclusive), in arrival order. These are exactly the windows that hold a distinct non-empty set of records, each
 * once. A record is dropped when stream time minus the grace has passed {@code t + d} (its last window is closed); the
 * dropped count must equal the number of such records. A record that arrives with only some of its windows closed
 * makes Kafka's answer depend on which windows already existed, which the model does not define; the generator leaves
 * those records out (they never move stream time, being older than it), and unit tests cover them against Kafka's
 * own expected output. The aggregation concatenates record ids, so a window's value shows which records it holds and
 * in which order; the last update of each window in the output must equal the model's.
 */
class SlidingWindowsProperties {

    record Input(long d, long grace, List<Event> events) {}

    record Event(String key, long timestamp) {}

    @Provide
    Arbitrary<Input> inputs() {
        Arbitrary<Event> event = Combinators.combine(
                        Arbitraries.of("a", "b"), Arbitraries.longs().between(0, 120))
                .as(Event::new);
        return Combinators.combine(
                        Arbitraries.longs().between(1, 25),
                        Arbitraries.longs().between(0, 40),
                        event.list().ofMinSize(1).ofMaxSize(40))
                .as(Input::new);
    }

    @Property(tries = 150, seed = "20261207", edgeCases = EdgeCasesMode.MIXIN)
    void everyWindowHoldsExactlyTheRecordsWithinItsBounds(@ForAll("inputs") Input input) {
        check(input);
    }

    /** The same with random seeds and many more tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 3000, edgeCases = EdgeCasesMode.NONE)
    @Tag("soak")
    void soakEveryWindowHoldsExactlyTheRecordsWithinItsBounds(@ForAll("inputs") Input input) {
        check(input);
    }

    private static void check(Input input) {
        long d = input.d();
        List<TestRecord<String, String>> piped = new ArrayList<>();
        List<Event> accepted = new ArrayList<>();
        List<String> ids = new ArrayList<>();
        long streamTime = -1;
        long dropped = 0;
        for (int i = 0; i < input.events().size(); i++) {
            Event e = input.events().get(i);
            long closeTime = Math.max(streamTime, e.timestamp()) - input.grace();
            if (e.timestamp() + d >= closeTime && e.timestamp() < closeTime) {
                continue; // some of its windows closed, not all: left out (see the class comment)
            }
            streamTime = Math.max(streamTime, e.timestamp());
            piped.add(new TestRecord<>(e.key(), "r" + i, Instant.ofEpochMilli(e.timestamp())));
            if (e.timestamp() + d < closeTime) {
                dropped++;
            } else {
                accepted.add(e);
                ids.add("r" + i);
            }
        }
        Map<String, String> expected = model(accepted, ids, d);
        Map<String, String> actual = new TreeMap<>();
        long droppedActual;
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .groupByKey()
                .windowedBy(
                        SlidingWindows.ofTimeDifferenceAndGrace(Duration.ofMillis(d), Duration.ofMillis(input.grace())))
                .aggregate(
                        () -> "",
                        (k, v, agg) -> agg.isEmpty() ? v : agg + "," + v,
                        Materialized.<String, String, io.weir.streams.processor.StateStore>as("agg")
                                .withCachingDisabled())
                .toStream()
                .foreach((Windowed<String> k, String v) ->
                        actual.put(name(k.key(), k.window().start(), k.window().end()), v));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "sliding-property");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeRecordList(piped);
            droppedActual = driver.droppedRecordsTotal();
        }
        assertEquals(expected, actual, () -> "windows of " + input + ", piped " + piped);
        assertEquals(dropped, droppedActual, () -> "dropped records of " + input);
    }

    /** Every window the definition gives over the accepted records, with its records' ids in arrival order. */
    static Map<String, String> model(List<Event> accepted, List<String> ids, long d) {
        Map<String, long[]> windows = new TreeMap<>();
        for (Event e : accepted) {
            long t = e.timestamp();
            long leftStart = Math.max(0, t - d);
            windows.put(name(e.key(), leftStart, leftStart + d), new long[] {leftStart, leftStart + d});
            boolean later = accepted.stream()
                    .anyMatch(u -> u.key().equals(e.key()) && u.timestamp() > t && u.timestamp() <= t + 1 + d);
            if (later) {
                windows.put(name(e.key(), t + 1, t + 1 + d), new long[] {t + 1, t + 1 + d});
            }
        }
        Map<String, String> out = new TreeMap<>();
        windows.forEach((name, bounds) -> {
            String key = name.substring(0, name.indexOf('@'));
            List<String> held = new ArrayList<>();
            for (int i = 0; i < accepted.size(); i++) {
                Event e = accepted.get(i);
                if (e.key().equals(key) && e.timestamp() >= bounds[0] && e.timestamp() <= bounds[1]) {
                    held.add(ids.get(i));
                }
            }
            out.put(name, String.join(",", held));
        });
        return out;
    }

    private static String name(String key, long start, long end) {
        return key + "@" + start + "/" + end;
    }
}
