package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.common.serialization.Serdes;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.Stores;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Kafka Streams' KeyValueStore contract, on both store kinds. */
class StoreProbeReviewTest {
    private static List<String> keys(KeyValueIterator<String, Long> it) {
        List<String> out = new ArrayList<>();
        try (it) {
            it.forEachRemaining(kv -> out.add(kv.key()));
        }
        return out;
    }

    @ParameterizedTest
    @ValueSource(booleans = {true, false})
    void kafkasKeyValueStoreContract(boolean persistent) {
        Topology t = new Topology()
                .addSource("in", Serdes.String().deserializer(), Serdes.String().deserializer(), "in")
                .addProcessor(
                        "p",
                        () -> new Processor<String, String, Void, Void>() {
                            @Override
                            public void process(Record<String, String> record) {}
                        },
                        "in")
                .addStateStore(
                        Stores.keyValueStoreBuilder(
                                persistent ? Stores.persistentKeyValueStore("s") : Stores.inMemoryKeyValueStore("s"),
                                Serdes.String(),
                                Serdes.Long()),
                        "p");
        try (TopologyTestDriver driver = new TopologyTestDriver(t, new Properties(), Instant.ofEpochMilli(0))) {
            KeyValueStore<String, Long> s = driver.getKeyValueStore("s");
            for (String k : List.of("a", "b", "c", "d")) {
                s.put(k, 1L);
            }
            assertEquals(List.of("b", "c"), keys(s.range("b", "c")), "range is inclusive at both ends");
            assertEquals(List.of("c", "b"), keys(s.reverseRange("b", "c")));
            assertEquals(List.of(), keys(s.range("c", "b")), "from > to: an empty iterator, as Kafka's stores give");
            assertEquals(List.of("a", "b"), keys(s.range(null, "b")), "a null bound is open");
            assertEquals(List.of("c", "d"), keys(s.range("c", null)), "a null bound is open");
            s.put("a", null);
            assertNull(s.get("a"), "put(key, null) deletes");
            assertEquals(1L, s.putIfAbsent("b", 5L));
            s.putAll(List.of(KeyValue.pair("b", null), KeyValue.pair("e", 2L)));
            assertNull(s.get("b"), "putAll with a null value deletes");
            assertEquals(List.of("c", "d", "e"), keys(s.all()));
            assertEquals(List.of("e", "d", "c"), keys(s.reverseAll()));
        }
    }
}
