package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.FailOnInvalidTimestamp;
import io.weir.streams.processor.LogAndSkipOnInvalidTimestamp;
import io.weir.streams.processor.TimestampExtractor;
import io.weir.streams.processor.UsePartitionTimeOnInvalidTimestamp;
import io.weir.streams.processor.WallclockTimestampExtractor;
import io.weir.streams.state.KeyValueIterator;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/** Timestamp extractors: the built-in policies, per source in Consumed, and default.timestamp.extractor. */
class TimestampExtractorTest {

    private static ConsumerRecord<Object, Object> recordAt(long timestamp) {
        return new ConsumerRecord<>(
                "t", 0, 7L, timestamp, ConsumerRecord.TimestampType.CREATE_TIME, 1, 1, "k", "v", List.of());
    }

    @Test
    void theBuiltInExtractorsKeepAValidTimestampAndApplyTheirPolicyToANegativeOne() {
        assertEquals(5, new FailOnInvalidTimestamp().extract(recordAt(5), 3));
        StreamsException e =
                assertThrows(StreamsException.class, () -> new FailOnInvalidTimestamp().extract(recordAt(-1), 3));
        assertTrue(e.getMessage().contains("offset 7 of t-0"), e.getMessage());
        assertEquals(-1, new LogAndSkipOnInvalidTimestamp().extract(recordAt(-1), 3));
        assertEquals(3, new UsePartitionTimeOnInvalidTimestamp().extract(recordAt(-1), 3));
        assertThrows(StreamsException.class, () -> new UsePartitionTimeOnInvalidTimestamp().extract(recordAt(-1), -1));
        long before = System.currentTimeMillis();
        assertTrue(new WallclockTimestampExtractor().extract(recordAt(5), 3) >= before);
    }

    /** Reads "<timestamp>:<payload>" values; a value without a timestamp gets -1 and is dropped. */
    public static final class ValueTimestamp implements TimestampExtractor {
        @Override
        public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
            String v = (String) record.value();
            int colon = v.indexOf(':');
            return colon < 0 ? -1 : Long.parseLong(v.substring(0, colon));
        }
    }

    private static Map<String, Long> countsByWindow(TopologyTestDriver driver) {
        Map<String, Long> out = new TreeMap<>();
        try (KeyValueIterator<Windowed<String>, Long> it =
                driver.<String, Long>getWindowStore("counts").all()) {
            it.forEachRemaining(
                    kv -> out.put(kv.key().key() + "@" + kv.key().window().start(), kv.value()));
        }
        return out;
    }

    private static void windowedCount(StreamsBuilder builder, Consumed<String, String> consumed) {
        builder.stream("in", consumed)
                .groupByKey()
                .windowedBy(TimeWindows.ofSizeAndGrace(Duration.ofSeconds(10), Duration.ofMinutes(1)))
                .count(Materialized.as("counts"));
    }

    private static Properties props() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "ts");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        return props;
    }

    @Test
    void aSourcesExtractorInConsumedDecidesTheWindowAndANegativeResultDropsTheRecord() {
        StreamsBuilder builder = new StreamsBuilder();
        windowedCount(builder, Consumed.<String, String>as("src").withTimestampExtractor(new ValueTimestamp()));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props(), Instant.EPOCH)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "25000:a", 1000); // the record's own timestamp (1 s) is ignored
            in.pipeInput("k", "21000:b", 1000);
            in.pipeInput("k", "no timestamp", 1000);
            assertEquals(Map.of("k@20000", 2L), countsByWindow(driver));
            assertEquals(1, driver.droppedRecordsTotal());
        }
    }

    @Test
    void defaultTimestampExtractorAppliesToSourcesThatSetNone() {
        StreamsBuilder builder = new StreamsBuilder();
        windowedCount(builder, Consumed.with(Serdes.String(), Serdes.String()));
        Properties props = props();
        props.put(StreamsConfig.DEFAULT_TIMESTAMP_EXTRACTOR_CLASS_CONFIG, ValueTimestamp.class);
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.EPOCH)) {
            TestInputTopic<String, String> in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("k", "35000:a", 1000);
            assertEquals(Map.of("k@30000", 1L), countsByWindow(driver));
        }
    }
}
