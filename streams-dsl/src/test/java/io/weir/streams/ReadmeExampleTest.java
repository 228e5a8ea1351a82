package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Produced;
import io.weir.streams.state.KeyValueStore;
import java.util.Arrays;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** The README's topology, as written there: if this stops compiling or passing, the README is wrong. */
class ReadmeExampleTest {

    @Test
    void theReadmesWordCountRunsAsShown() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("text")
                .flatMapValues(line -> Arrays.asList(line.toLowerCase().split(" ")))
                .groupBy((key, word) -> word)
                .count(Materialized.as("counts"))
                .toStream()
                .to("word-counts", Produced.with(Serdes.String(), Serdes.Long()));

        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "word-count");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, "4");
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            driver.createInputTopic("text", new StringSerializer(), new StringSerializer())
                    .pipeInput("1", "the quick fox the end");
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertEquals(2L, counts.get("the"));
            assertEquals(1L, counts.get("fox"));
        }
    }
}
