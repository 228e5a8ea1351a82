package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.api.FixedKeyProcessor;
import io.weir.streams.processor.api.FixedKeyProcessorContext;
import io.weir.streams.processor.api.FixedKeyRecord;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.Stores;
import java.time.Instant;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** KStream.processValues: a processor that changes values, with a store, and no repartition after it. */
class ProcessValuesTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    /** Numbers each key's values in a store of its own: "x" becomes "x#1", "x#2", ... per key. */
    private static final class Numbering implements FixedKeyProcessor<String, String, String> {
        private FixedKeyProcessorContext<String, String> context;
        private KeyValueStore<String, Long> seen;

        @Override
        public void init(FixedKeyProcessorContext<String, String> context) {
            this.context = context;
            this.seen = context.getStateStore("seen");
        }

        @Override
        public void process(FixedKeyRecord<String, String> record) {
            Long n = seen.get(record.key());
            long next = n == null ? 1 : n + 1;
            seen.put(record.key(), next);
            context.forward(record.withValue(record.value() + "#" + next));
        }
    }

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(partitions));
        return props;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aFixedKeyProcessorChangesValuesWithItsStoreAndTheStreamNeedsNoRepartition(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("seen"), Serdes.String(), Serdes.Long()));
        var numbered = builder.<String, String>stream("in").processValues(Numbering::new, Named.as("number"), "seen");
        numbered.to("out");
        numbered.groupByKey().count().toStream().to("counts", Produced.with(Serdes.String(), Serdes.Long()));
        Topology topology = builder.build();
        assertEquals(1, topology.describe().subtopologies().size(), "the key did not change: no repartition");
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(partitions), T0)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            in.pipeInput("a", "x");
            in.pipeInput("b", "y");
            in.pipeInput("a", "z");
            var out = driver.createOutputTopic(
                    "out", Serdes.String().deserializer(), Serdes.String().deserializer());
            assertEquals(
                    List.of(KeyValue.pair("a", "x#1"), KeyValue.pair("b", "y#1"), KeyValue.pair("a", "z#2")),
                    out.readKeyValuesToList());
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {2})
    void aSupplierReturningOneInstanceTwiceIsRefused(int partitions) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.addStateStore(
                Stores.keyValueStoreBuilder(Stores.inMemoryKeyValueStore("seen"), Serdes.String(), Serdes.Long()));
        Numbering shared = new Numbering();
        builder.<String, String>stream("in").processValues(() -> shared, "seen");
        assertThrows(TopologyException.class, () -> new TopologyTestDriver(builder.build(), props(partitions), T0));
    }
}
