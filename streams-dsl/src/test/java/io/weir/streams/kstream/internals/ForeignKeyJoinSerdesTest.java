package io.weir.streams.kstream.internals;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.internals.SubscriptionWrapper.Instruction;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The foreign-key join's hash and the byte layouts of its two wrappers. */
class ForeignKeyJoinSerdesTest {

    @Test
    void murmur3GivesTheReferenceHash() {
        // MurmurHash3_x64_128 of the classic sentence, seed 0, as the reference implementation gives it.
        long[] hash =
                Murmur3.hash128("The quick brown fox jumps over the lazy dog".getBytes(StandardCharsets.UTF_8), 0);
        assertArrayEquals(new long[] {0xe34bbc7bbc071b6cL, 0x7a433ca9c49a9347L}, hash);
    }

    /**
     * The hashes Kafka Streams 4.1.1's {@code org.apache.kafka.streams.state.internals.Murmur3.hash128(byte[])}
     * gives (its seed, 104729), for inputs with no block, no tail, and tails of 1, 7, 11 and 14 bytes: a Weir
     * application's hashes are then the ones a Kafka Streams one writes for the same values.
     */
    @ParameterizedTest
    @CsvSource({
        "'', 9d2764a018e32942, 8c3cf3b035938518",
        "a, 3361634e7e0f5188, e9c7dda24eae326b",
        "abcdefg, 8213f0cabc692d12, 98464044828f459a",
        "abcdefghijklmnop, 03daa544af252b49, ec7e65eed6ef622a",
        "abcdefghijklmnopqrstuvwxyz0123, ee39893469b03505, 9db1670990542b4c",
        "The quick brown fox jumps over the lazy dog, e74c5921af0f99c8, b7f85ec81df06726"
    })
    void murmur3GivesKafkaStreamsHashesWithItsSeed(String input, String high, String low) {
        assertEquals(104729, Murmur3.SEED);
        long[] expected = {Long.parseUnsignedLong(high, 16), Long.parseUnsignedLong(low, 16)};
        assertArrayEquals(expected, Murmur3.hash128(input.getBytes(StandardCharsets.UTF_8)), input);
    }

    @Test
    void aSubscriptionRoundTripsWithAndWithoutAHash() {
        SubscriptionWrapperSerde<String> serde = new SubscriptionWrapperSerde<>(Serdes.String());
        for (long[] hash : new long[][] {{1L, -2L}, null}) {
            for (Instruction instruction : Instruction.values()) {
                SubscriptionWrapper<String> subscription = new SubscriptionWrapper<>(hash, instruction, "order-7", 5);
                byte[] bytes = serde.serializer().serialize("t", subscription);
                assertEquals(3 + (hash == null ? 0 : 16) + 4 + "order-7".length(), bytes.length);
                assertEquals(subscription, serde.deserializer().deserialize("t", bytes));
            }
        }
    }

    @Test
    void aResponseTellsANullForeignValueFromAnEmptyOne() {
        SubscriptionResponseWrapperSerde<String> serde = new SubscriptionResponseWrapperSerde<>(Serdes.String());
        long[] hash = {3L, 4L};
        SubscriptionResponseWrapper<String> none = serde.deserializer()
                .deserialize("t", serde.serializer().serialize("t", new SubscriptionResponseWrapper<>(hash, null, 1)));
        assertNull(none.foreignValue());
        assertArrayEquals(hash, none.originalValueHash());
        SubscriptionResponseWrapper<String> empty = serde.deserializer()
                .deserialize("t", serde.serializer().serialize("t", new SubscriptionResponseWrapper<>(null, "", 1)));
        assertEquals("", empty.foreignValue());
        assertNull(empty.originalValueHash());
        assertNull(empty.primaryPartition(), "the partition only routes the record; it is not written");
    }

    @Test
    void aNewerLayoutVersionIsRefusedNamingTheTopic() {
        SubscriptionWrapperSerde<String> serde = new SubscriptionWrapperSerde<>(Serdes.String());
        byte[] bytes = serde.serializer()
                .serialize("t", new SubscriptionWrapper<>(null, Instruction.DELETE_KEY_NO_PROPAGATE, "k", 0));
        bytes[0] = 1;
        SerializationException e = assertThrows(
                SerializationException.class, () -> serde.deserializer().deserialize("subs", bytes));
        assertTrue(e.getMessage().contains("subs") && e.getMessage().contains("version 1"), e.getMessage());
        assertThrows(SerializationException.class, () -> serde.deserializer().deserialize("subs", new byte[] {0}));
    }
}
