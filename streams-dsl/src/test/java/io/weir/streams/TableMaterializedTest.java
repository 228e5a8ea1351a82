package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.processor.StateStore;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code StreamsBuilder.table} with a {@link Materialized}, as Kafka Streams: the store takes Consumed's serdes, and a
 * table given only a Materialized reads its topic with Materialized's serdes; the caller's object is not changed.
 */
class TableMaterializedTest {

    @Test
    void tableLeavesTheCallersMaterializedSerdesUnset() {
        Materialized<String, Long, StateStore> materialized = Materialized.as("prices");
        new StreamsBuilder().table("t", Consumed.with(Serdes.String(), Serdes.Long()), materialized);
        assertNull(materialized.keySerde());
        assertNull(materialized.valueSerde());
    }

    private static Properties propsWithoutDefaultSerdes() {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "table-materialized");
        return props;
    }

    @Test
    void tableLeavesTheCallersMaterializedSerdesAsGiven() {
        Materialized<String, Long, StateStore> materialized =
                Materialized.<String, Long, StateStore>as("prices").withValueSerde(Serdes.Long());
        new StreamsBuilder().table("t", Consumed.with(Serdes.String(), null), materialized);
        assertNull(materialized.keySerde());
        assertEquals(Serdes.Long().getClass(), materialized.valueSerde().getClass());
    }

    @Test
    @SuppressWarnings({"unchecked", "rawtypes"})
    void storeTakesConsumedSerdesOverMaterializeds() {
        StreamsBuilder builder = new StreamsBuilder();
        // Materialized's String value serde would fail on the Long values; Kafka uses Consumed's.
        Serde<Long> wrong = (Serde) Serdes.String();
        builder.table(
                "t",
                Consumed.with(Serdes.String(), Serdes.Long()),
                Materialized.<String, Long, StateStore>as("prices").withValueSerde(wrong));
        try (TopologyTestDriver driver =
                new TopologyTestDriver(builder.build(), propsWithoutDefaultSerdes(), Instant.ofEpochMilli(0))) {
            driver.createInputTopic(
                            "t", Serdes.String().serializer(), Serdes.Long().serializer())
                    .pipeInput("a", 5L);
            assertEquals(5L, driver.<String, Long>getKeyValueStore("prices").get("a"));
        }
    }

    @Test
    void tableWithOnlyMaterializedReadsTheTopicWithItsSerdes() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table(
                "t",
                Materialized.<String, Long, StateStore>as("prices")
                        .withKeySerde(Serdes.String())
                        .withValueSerde(Serdes.Long()));
        try (TopologyTestDriver driver =
                new TopologyTestDriver(builder.build(), propsWithoutDefaultSerdes(), Instant.ofEpochMilli(0))) {
            driver.createInputTopic(
                            "t", Serdes.String().serializer(), Serdes.Long().serializer())
                    .pipeInput("a", 5L);
            assertEquals(5L, driver.<String, Long>getKeyValueStore("prices").get("a"));
        }
    }

    @Test
    void storeUsesConsumedSerdesWhereMaterializedHasNone() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("t", Consumed.with(Serdes.String(), Serdes.Long()), Materialized.as("prices"));
        try (TopologyTestDriver driver =
                new TopologyTestDriver(builder.build(), propsWithoutDefaultSerdes(), Instant.ofEpochMilli(0))) {
            driver.createInputTopic(
                            "t", Serdes.String().serializer(), Serdes.Long().serializer())
                    .pipeInput("a", 5L);
            assertEquals(5L, driver.<String, Long>getKeyValueStore("prices").get("a"));
        }
    }
}
