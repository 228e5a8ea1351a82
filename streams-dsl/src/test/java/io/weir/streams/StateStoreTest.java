package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.Stores;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Processor API stores through the test driver: LMDB and in memory, one instance per task. */
class StateStoreTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    /** Counts records per key in store "counts" and forwards the running count. */
    private static final class Counter implements Processor<String, String, String, Long> {
        private ProcessorContext<String, Long> context;
        private KeyValueStore<String, Long> counts;

        @Override
        public void init(ProcessorContext<String, Long> context) {
            this.context = context;
            this.counts = context.getStateStore("counts");
        }

        @Override
        public void process(Record<String, String> record) {
            Long previous = counts.get(record.key());
            long next = previous == null ? 1 : previous + 1;
            counts.put(record.key(), next);
            context.forward(record.withValue(next));
        }
    }

    private static Topology counting(KeyValueBytesStoreSupplier supplier) {
        return new Topology()
                .addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "words")
                .addProcessor("count", Counter::new, "in")
                .addStateStore(Stores.keyValueStoreBuilder(supplier, Serdes.String(), Serdes.Long()), "count")
                .addSink(
                        "out",
                        "counts",
                        Serdes.String().serializer(),
                        Serdes.Long().serializer(),
                        "count");
    }

    private static Properties partitions(int n) {
        Properties props = new Properties();
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(n));
        return props;
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 4})
    void aPersistentStoreKeepsEachKeysCountInItsPartitionsTask(int n) {
        try (TopologyTestDriver driver =
                new TopologyTestDriver(counting(Stores.persistentKeyValueStore("counts")), partitions(n), T0)) {
            var in = driver.createInputTopic(
                    "words", Serdes.String().serializer(), Serdes.String().serializer());
            for (String w : "a b a c a b".split(" ")) {
                in.pipeInput(w, "x");
            }
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            assertEquals(3L, counts.get("a"));
            assertEquals(2L, counts.get("b"));
            assertEquals(1L, counts.get("c"));
            assertNull(counts.get("d"));
            assertEquals(3, counts.approximateNumEntries());
            Map<String, Long> all = new HashMap<>();
            try (KeyValueIterator<String, Long> it = counts.all()) {
                it.forEachRemaining(kv -> all.put(kv.key(), kv.value()));
            }
            assertEquals(Map.of("a", 3L, "b", 2L, "c", 1L), all);
            assertEquals(
                    Map.of("a", 3L, "b", 2L, "c", 1L),
                    driver.createOutputTopic(
                                    "counts",
                                    Serdes.String().deserializer(),
                                    Serdes.Long().deserializer())
                            .readKeyValuesToMap());
        }
    }

    @Test
    void anInMemoryStoreWorksTheSameAndRangesFollowKeyBytes() {
        try (TopologyTestDriver driver =
                new TopologyTestDriver(counting(Stores.inMemoryKeyValueStore("counts")), partitions(1), T0)) {
            var in = driver.createInputTopic(
                    "words", Serdes.String().serializer(), Serdes.String().serializer());
            for (String w : List.of("b", "a", "c", "a")) {
                in.pipeInput(w, "x");
            }
            KeyValueStore<String, Long> counts = driver.getKeyValueStore("counts");
            try (KeyValueIterator<String, Long> it = counts.range("a", "b")) {
                assertEquals(KeyValue.pair("a", 2L), it.next());
                assertEquals("b", it.peekNextKey());
                assertEquals(KeyValue.pair("b", 1L), it.next());
                assertTrue(!it.hasNext());
            }
            counts.put("z", 9L);
            assertEquals(9L, counts.delete("z"));
        }
    }

    @Test
    void aProcessorNotConnectedToAStoreCannotUseIt() {
        Topology t = new Topology()
                .addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "words")
                .addProcessor("count", Counter::new, "in")
                .addProcessor(
                        "sneaky",
                        () -> new Processor<String, String, Void, Void>() {
                            @Override
                            public void init(ProcessorContext<Void, Void> context) {
                                context.getStateStore("counts");
                            }

                            @Override
                            public void process(Record<String, String> record) {}
                        },
                        "in")
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long()),
                        "count");
        StreamsException e = assertThrows(StreamsException.class, () -> new TopologyTestDriver(t, partitions(1), T0));
        assertTrue(e.getMessage().contains("sneaky"), e.getMessage());
        assertTrue(
                String.valueOf(e.getCause().getMessage()).contains("has no access to store counts"),
                e.getCause().getMessage());
    }

    @Test
    void aStoreNameUsedTwiceOrAMissingStoreIsRefused() {
        Topology t = new Topology()
                .addSource("in", "words")
                .addProcessor("p", Counter::new, "in")
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long()),
                        "p");
        assertThrows(
                TopologyException.class,
                () -> t.addStateStore(Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore("counts"), Serdes.String(), Serdes.Long())));
        TopologyException e =
                assertThrows(TopologyException.class, () -> t.connectProcessorAndStateStores("p", "nope"));
        assertTrue(e.getMessage().contains("names the store nope, which does not exist"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Stores.persistentKeyValueStore("bad name"));
    }

    @Test
    void processorsSharingAStoreRunInOneSubTopology() {
        Topology t = new Topology()
                .addSource("a", "topic-a")
                .addProcessor("pa", Counter::new, "a")
                .addSource("b", "topic-b")
                .addProcessor("pb", Counter::new, "b")
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                Stores.inMemoryKeyValueStore("counts"), Serdes.String(), Serdes.Long()),
                        "pa",
                        "pb");
        assertEquals(1, t.describe().subtopologies().size());
        assertTrue(
                t.describe().toString().contains("Processor: pa (stores: [counts])"),
                t.describe().toString());
    }
}
