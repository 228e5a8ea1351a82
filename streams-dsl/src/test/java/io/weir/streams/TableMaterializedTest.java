package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.processor.StateStore;
import java.time.Instant;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@code StreamsBuilder.table} with a {@link Materialized}: Consumed's serdes fill the store's, not the caller's object. */
class TableMaterializedTest {

    @Test
    void tableLeavesTheCallersMaterializedSerdesUnset() {
        Materialized<String, Long, StateStore> materialized = Materialized.as("prices");
        new StreamsBuilder().table("t", Consumed.with(Serdes.String(), Serdes.Long()), materialized);
        assertNull(materialized.keySerde());
        assertNull(materialized.valueSerde());
    }

    @Test
    void storeUsesConsumedSerdesWhereMaterializedHasNone() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.table("t", Consumed.with(Serdes.String(), Serdes.Long()), Materialized.as("prices"));
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "table-materialized");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props, Instant.ofEpochMilli(0))) {
            driver.createInputTopic(
                            "t", Serdes.String().serializer(), Serdes.Long().serializer())
                    .pipeInput("a", 5L);
            assertEquals(5L, driver.<String, Long>getKeyValueStore("prices").get("a"));
        }
    }
}
