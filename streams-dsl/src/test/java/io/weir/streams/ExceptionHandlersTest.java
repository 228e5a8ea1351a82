package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.producer.ProducerRecord;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.Serializer;
import io.weir.streams.errors.ErrorHandlerContext;
import io.weir.streams.errors.LogAndContinueExceptionHandler;
import io.weir.streams.errors.LogAndContinueProcessingExceptionHandler;
import io.weir.streams.errors.ProcessingExceptionHandler;
import io.weir.streams.errors.ProductionExceptionHandler;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.api.Record;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The three exception handlers: deserialization, processing, production; defaults fail, the others skip. */
class ExceptionHandlersTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    /** What the recording handlers saw; static because the handlers are made from their class names. */
    static final List<String> SEEN = new ArrayList<>();

    public static final class RecordingProcessingHandler implements ProcessingExceptionHandler {
        @Override
        public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
            SEEN.add(context.processorNodeId() + " " + context.topic() + "-" + context.partition() + "@"
                    + context.offset() + " " + record.value() + " " + exception.getMessage());
            return ProcessingHandlerResponse.CONTINUE;
        }
    }

    public static final class SkippingProductionHandler implements ProductionExceptionHandler {
        @Override
        public ProductionExceptionHandlerResponse handle(
                ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception e) {
            return ProductionExceptionHandlerResponse.FAIL;
        }

        @Override
        public ProductionExceptionHandlerResponse handleSerializationException(
                ErrorHandlerContext context,
                ProducerRecord<?, ?> record,
                Exception exception,
                SerializationExceptionOrigin origin) {
            SEEN.add(context.processorNodeId() + " " + record.topic() + " " + record.value() + " " + origin);
            return ProductionExceptionHandlerResponse.CONTINUE;
        }
    }

    private static Properties props() {
        SEEN.clear();
        Properties props = new Properties();
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    private static Topology longs() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.stream("in", Consumed.with(Serdes.String(), Serdes.Long()))
                .to("out", Produced.with(Serdes.String(), Serdes.Long()));
        return builder.build();
    }

    @Test
    void byDefaultARecordThatCannotBeDeserializedFailsTheTask() {
        try (TopologyTestDriver driver = new TopologyTestDriver(longs(), props(), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput("k", "bad"));
            assertTrue(e.getMessage().contains("offset 0 of in-0"), e.getMessage());
        }
    }

    @Test
    void logAndContinueSkipsTheRecordAndTheNextOnesGoThrough() {
        Properties props = props();
        props.put(StreamsConfig.DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(longs(), props, T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "bad");
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.Long().serializer())
                    .pipeInput("k", 7L);
            assertEquals(
                    List.of(7L),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readValuesToList());
        }
    }

    @Test
    @SuppressWarnings("deprecation")
    void theDeprecatedNameIsStillRead() {
        Properties props = props();
        props.put(
                StreamsConfig.DEFAULT_DESERIALIZATION_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueExceptionHandler.class.getName());
        try (TopologyTestDriver driver = new TopologyTestDriver(longs(), props, T0)) {
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeInput("k", "bad");
        }
    }

    private static Topology exploding() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .mapValues(
                        v -> {
                            if (v.startsWith("bad")) {
                                throw new IllegalArgumentException("no " + v);
                            }
                            return v.toUpperCase();
                        },
                        Named.as("upper"))
                .to("out");
        return builder.build();
    }

    @Test
    void aProcessingHandlerThatContinuesDropsTheRecordAtTheFailingProcessorAndIsToldWhere() {
        Properties props = props();
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, RecordingProcessingHandler.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(exploding(), props, T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeValueList(List.of("a", "bad1", "b"));
            assertEquals(
                    List.of("A", "B"),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readValuesToList());
            assertEquals(List.of("upper in-0@1 bad1 no bad1"), SEEN);
        }
    }

    @Test
    void logAndContinueProcessingHandlerKeepsTheTaskRunning() {
        Properties props = props();
        props.put(
                StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG,
                LogAndContinueProcessingExceptionHandler.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(exploding(), props, T0)) {
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeValueList(List.of("bad", "ok"));
            assertEquals(
                    List.of("OK"),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readValuesToList());
        }
    }

    private static Topology failingSink() {
        Serializer<String> picky = (topic, data) -> {
            if (data.contains("!")) {
                throw new IllegalStateException("cannot write " + data);
            }
            return data.getBytes(java.nio.charset.StandardCharsets.UTF_8);
        };
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .to(
                        "out",
                        Produced.with(
                                Serdes.String(),
                                Serdes.serdeFrom(picky, Serdes.String().deserializer())));
        return builder.build();
    }

    @Test
    void byDefaultAResultThatCannotBeSerializedFailsTheTask() {
        try (TopologyTestDriver driver = new TopologyTestDriver(failingSink(), props(), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            StreamsException e = assertThrows(StreamsException.class, () -> in.pipeInput("k", "loud!"));
            assertTrue(e.getMessage().contains("could not serialize a record for topic out"), e.getMessage());
        }
    }

    @Test
    void aProductionHandlerThatContinuesDropsTheResultAndIsToldWhichPartFailed() {
        Properties props = props();
        props.put(StreamsConfig.PRODUCTION_EXCEPTION_HANDLER_CLASS_CONFIG, SkippingProductionHandler.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(failingSink(), props, T0)) {
            driver.createInputTopic(
                            "in", Serdes.String().serializer(), Serdes.String().serializer())
                    .pipeValueList(List.of("a", "b!", "c"));
            assertEquals(
                    List.of("a", "c"),
                    driver.createOutputTopic(
                                    "out",
                                    Serdes.String().deserializer(),
                                    Serdes.String().deserializer())
                            .readValuesToList());
            assertEquals(1, SEEN.size());
            assertTrue(SEEN.get(0).endsWith("out b! VALUE"), SEEN.toString());
        }
    }

    @Test
    void aHandlerClassOfTheWrongKindIsRefused() {
        Properties props = props();
        props.put(StreamsConfig.PROCESSING_EXCEPTION_HANDLER_CLASS_CONFIG, LogAndContinueExceptionHandler.class);
        InvalidConfigurationException e =
                assertThrows(InvalidConfigurationException.class, () -> new TopologyTestDriver(longs(), props, T0));
        assertTrue(e.getMessage().contains("does not implement"), e.getMessage());
    }
}
