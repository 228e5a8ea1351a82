package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.processor.PunctuationType;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class TopologyTestDriverTest {
    private static final Instant T0 = Instant.ofEpochMilli(10_000);

    private static Properties stringSerdes() {
        Properties props = new Properties();
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class.getName());
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    private static Topology copy(String from, String to) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream(from).to(to);
        return builder.build();
    }

    @Test
    void recordsWithoutATimestampTakeTheTopicsTimeWhichAutoAdvances() {
        try (TopologyTestDriver driver = new TopologyTestDriver(copy("in", "out"), stringSerdes(), T0)) {
            var in = driver.createInputTopic(
                    "in",
                    Serdes.String().serializer(),
                    Serdes.String().serializer(),
                    Instant.ofEpochMilli(100),
                    Duration.ofMillis(10));
            in.pipeInput("a", "1");
            in.pipeInput("b", "2");
            in.pipeInput("c", "3", 5L);
            in.advanceTime(Duration.ofMillis(100));
            in.pipeInput("d", "4");
            var out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            List<Long> times =
                    out.readRecordsToList().stream().map(TestRecord::timestamp).toList();
            assertEquals(List.of(100L, 110L, 5L, 220L), times);
        }
    }

    @Test
    void aTopicTheTopologyDoesNotReadIsRefused() {
        try (TopologyTestDriver driver = new TopologyTestDriver(copy("in", "out"), stringSerdes(), T0)) {
            var other = driver.createInputTopic(
                    "nope", Serdes.String().serializer(), Serdes.String().serializer());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> other.pipeInput("k", "v"));
            assertTrue(e.getMessage().contains("Unknown topic: nope"), e.getMessage());
        }
    }

    @Test
    void readingAnEmptyTopicSaysSo() {
        try (TopologyTestDriver driver = new TopologyTestDriver(copy("in", "out"), stringSerdes(), T0)) {
            var out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            assertTrue(out.isEmpty());
            assertThrows(NoSuchElementException.class, out::readValue);
        }
    }

    @Test
    void aRecordThatCannotBeDeserializedNamesTopicPartitionAndOffset() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .to("out", io.weir.streams.kstream.Produced.with(Serdes.String(), Serdes.Long()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), stringSerdes(), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "8 bytes!");
            StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput("k", "short"));
            assertTrue(e.getMessage().contains("offset 1 of in-0"), e.getMessage());
        }
    }

    @Test
    void withoutDefaultSerdesAnOperatorThatNeedsThemFailsNamingTheKey() {
        StreamsException e = assertThrows(
                StreamsException.class, () -> new TopologyTestDriver(copy("in", "out"), new Properties(), T0));
        assertTrue(e.getCause() instanceof InvalidConfigurationException, String.valueOf(e.getCause()));
        assertTrue(
                e.getCause().getMessage().contains("default.key.serde"),
                e.getCause().getMessage());
    }

    @Test
    void aDefaultSerdeThatIsNoSerdeIsRefused() {
        Properties props = stringSerdes();
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, String.class);
        InvalidConfigurationException e = assertThrows(
                InvalidConfigurationException.class, () -> new TopologyTestDriver(copy("in", "out"), props, T0));
        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
    }

    /** Records each punctuation's time; schedules in init, as processors usually do. */
    private static final class Punctuating implements Processor<String, String, String, String> {
        final List<String> fired;
        final PunctuationType type;

        Punctuating(List<String> fired, PunctuationType type) {
            this.fired = fired;
            this.type = type;
        }

        @Override
        public void init(ProcessorContext<String, String> context) {
            context.schedule(Duration.ofMillis(100), type, t -> {
                fired.add(type + "@" + t);
                context.forward(new Record<>("tick", Long.toString(t), Math.max(t, 0)));
            });
        }

        @Override
        public void process(Record<String, String> record) {}
    }

    @Test
    void wallClockPunctuationsFireAsTheDriverClockMovesAndSkipMissedIntervals() {
        List<String> fired = new ArrayList<>();
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor("p", () -> new Punctuating(fired, PunctuationType.WALL_CLOCK_TIME), "s")
                .addSink("k", "ticks", "p");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, stringSerdes(), T0)) {
            driver.advanceWallClockTime(Duration.ofMillis(99));
            assertEquals(List.of(), fired);
            driver.advanceWallClockTime(Duration.ofMillis(1));
            driver.advanceWallClockTime(Duration.ofMillis(350));
            driver.advanceWallClockTime(Duration.ofMillis(50));
            assertEquals(List.of("WALL_CLOCK_TIME@10100", "WALL_CLOCK_TIME@10450", "WALL_CLOCK_TIME@10500"), fired);
            assertEquals(
                    3,
                    driver.createOutputTopic(
                                    "ticks",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .getQueueSize());
        }
    }

    @Test
    void streamTimePunctuationsFireWithTheFirstRecordThenAsStreamTimePassesEachInterval() {
        List<String> fired = new ArrayList<>();
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor("p", () -> new Punctuating(fired, PunctuationType.STREAM_TIME), "s")
                .addSink("k", "ticks", "p");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, stringSerdes(), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            driver.advanceWallClockTime(Duration.ofHours(1));
            assertEquals(List.of(), fired, "the wall clock does not move stream time");
            in.pipeInput("k", "v", 50L);
            in.pipeInput("k", "v", 99L);
            in.pipeInput("k", "v", 30L);
            in.pipeInput("k", "v", 100L);
            in.pipeInput("k", "v", 420L);
            assertEquals(List.of("STREAM_TIME@50", "STREAM_TIME@100", "STREAM_TIME@420"), fired);
        }
    }

    @Test
    void aCancelledPunctuationNeverFiresAgain() {
        List<Long> fired = new ArrayList<>();
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor(
                        "p",
                        () -> new Processor<String, String, Void, Void>() {
                            @Override
                            public void init(ProcessorContext<Void, Void> context) {
                                var schedule = new io.weir.streams.processor.Cancellable[1];
                                schedule[0] = context.schedule(
                                        Duration.ofMillis(10), PunctuationType.WALL_CLOCK_TIME, time -> {
                                            fired.add(time);
                                            schedule[0].cancel();
                                        });
                            }

                            @Override
                            public void process(Record<String, String> record) {}
                        },
                        "s");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, stringSerdes(), T0)) {
            driver.advanceWallClockTime(Duration.ofMillis(10));
            driver.advanceWallClockTime(Duration.ofMillis(10));
            assertEquals(List.of(10_010L), fired);
        }
    }

    @Test
    void aPunctuationIntervalUnderAMillisecondIsRefused() {
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor(
                        "p",
                        () -> new Processor<String, String, Void, Void>() {
                            @Override
                            public void init(ProcessorContext<Void, Void> context) {
                                context.schedule(Duration.ofNanos(10), PunctuationType.STREAM_TIME, time -> {});
                            }

                            @Override
                            public void process(Record<String, String> record) {}
                        },
                        "s");
        StreamsException e = assertThrows(StreamsException.class, () -> new TopologyTestDriver(t, stringSerdes(), T0));
        assertTrue(e.getMessage().contains("processor p failed to initialise"), e.getMessage());
    }

    @Test
    void theContextTellsWhereTheRecordCameFromAndTheCurrentTimes() {
        List<String> seen = new ArrayList<>();
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor(
                        "p",
                        () -> new Processor<String, String, Void, Void>() {
                            private ProcessorContext<Void, Void> context;

                            @Override
                            public void init(ProcessorContext<Void, Void> context) {
                                this.context = context;
                            }

                            @Override
                            public void process(Record<String, String> record) {
                                var m = context.recordMetadata().orElseThrow();
                                seen.add(m.topic() + "-" + m.partition() + "@" + m.offset() + " stream="
                                        + context.currentStreamTimeMs() + " wall=" + context.currentSystemTimeMs()
                                        + " app=" + context.applicationId());
                            }
                        },
                        "s");
        Properties props = stringSerdes();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "orders");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, props, T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "v", 7L);
            in.pipeInput("k", "v", 3L);
        }
        assertEquals(List.of("in-0@0 stream=7 wall=10000 app=orders", "in-0@1 stream=7 wall=10000 app=orders"), seen);
    }

    @Test
    void aMissingApplicationIdIsRefusedByTheConfigButTheDriverSuppliesOne() {
        assertThrows(InvalidConfigurationException.class, () -> new StreamsConfig(new Properties()));
        try (TopologyTestDriver driver = new TopologyTestDriver(copy("in", "out"), stringSerdes(), T0)) {
            assertEquals(1, driver.tasks().size());
        }
    }

    @Test
    void closeClosesEveryProcessorAndTheDriverRefusesMoreInput() {
        List<String> closed = new ArrayList<>();
        Topology t = new Topology()
                .addSource("s", "in")
                .addProcessor(
                        "p",
                        () -> new Processor<String, String, Void, Void>() {
                            @Override
                            public void process(Record<String, String> record) {}

                            @Override
                            public void close() {
                                closed.add("p");
                            }
                        },
                        "s");
        Properties props = stringSerdes();
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, "3");
        TopologyTestDriver driver = new TopologyTestDriver(t, props, T0);
        var in = driver.createInputTopic(
                "in", Serdes.String().serializer(), Serdes.String().serializer());
        driver.close();
        driver.close();
        assertEquals(List.of("p", "p", "p"), closed);
        assertThrows(IllegalStateException.class, () -> in.pipeInput("k", "v"));
    }
}
