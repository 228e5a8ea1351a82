package io.weir.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Serdes;
import org.junit.jupiter.api.Test;

/** The repartition value of a table regrouping, in Kafka Streams' {@code ChangedSerializer} layout. */
class ChangeSerdeTest {
    private final ChangeSerde<String> serde = new ChangeSerde<>(Serdes.String());

    private byte[] write(String newValue, String oldValue) {
        return serde.serializer().serialize("t", new Change<>(newValue, oldValue));
    }

    @Test
    void writesKafkasLayoutWithTheFlagLast() {
        assertArrayEquals(new byte[] {'o', 0}, write(null, "o"));
        assertArrayEquals(new byte[] {'n', 'e', 1}, write("ne", null));
        // zig-zag varint of 2 is 4, then the new value, the old one, the flag
        assertArrayEquals(new byte[] {4, 'n', 'e', 'o', 2}, write("ne", "o"));
    }

    @Test
    void readsBackEachKind() {
        for (Change<String> change : java.util.List.of(
                new Change<String>(null, "old"), new Change<String>("new", null), new Change<>("new", "old"))) {
            byte[] bytes = serde.serializer().serialize("t", change);
            assertEquals(change, serde.deserializer().deserialize("t", bytes));
        }
    }

    @Test
    void rejectsAChangeWithNeitherValueAndAnUnknownFlag() {
        assertThrows(SerializationException.class, () -> write(null, null));
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("t", new byte[] {'x', 7}));
    }

    @Test
    void takesTheDefaultSerdeWhenGroupedGaveNone() {
        ChangeSerde<Long> unset = new ChangeSerde<>(null);
        var serializer = unset.serializer();
        ((io.weir.streams.processor.internals.WrappingNullableSerde) serializer).setIfUnset(Serdes.Long());
        byte[] bytes = serializer.serialize("t", new Change<>(3L, null));
        assertEquals(new Change<>(3L, null), unset.deserializer().deserialize("t", bytes));
    }
}
