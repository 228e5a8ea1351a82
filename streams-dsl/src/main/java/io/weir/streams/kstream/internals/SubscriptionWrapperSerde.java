package io.weir.streams.kstream.internals;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.processor.internals.WrappingNullableSerde;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a {@link SubscriptionWrapper}, on the subscription topic and in the subscription store. Weir's own
 * layout (not Kafka's), version 0:
 *
 * <pre>
 *   version     1 byte   0; a reader refuses a newer one rather than misread it
 *   flags       1 byte   bit 0: a hash follows
 *   instruction 1 byte   {@link SubscriptionWrapper.Instruction}'s code
 *   hash       16 bytes  the left value's Murmur3 x64-128, high half first (only with flag bit 0)
 *   partition   4 bytes  the left task's partition, big-endian
 *   primary key n bytes  the rest: the left key, by the left table's key serde
 * </pre>
 *
 * The key serde is the left table's, or the application's {@code default.key.serde}, which the sink and source hand
 * in when their task starts (and the subscription processor, before the store is read).
 */
final class SubscriptionWrapperSerde<K> implements Serde<SubscriptionWrapper<K>> {
    static final byte VERSION = 0;
    static final int HASH_BYTES = 16;
    private static final byte HAS_HASH = 1;

    /** Written once, before any record, by the first task to start; volatile as tasks may run on other threads. */
    private volatile Serde<K> primaryKeySerde;

    SubscriptionWrapperSerde(Serde<K> primaryKeySerde) {
        this.primaryKeySerde = primaryKeySerde;
    }

    @SuppressWarnings("unchecked")
    void setIfUnset(Serde<?> defaultKeySerde) {
        if (primaryKeySerde == null) {
            primaryKeySerde = (Serde<K>) defaultKeySerde;
        }
    }

    @Override
    public Serializer<SubscriptionWrapper<K>> serializer() {
        return new WrapperSerializer();
    }

    @Override
    public Deserializer<SubscriptionWrapper<K>> deserializer() {
        return new WrapperDeserializer();
    }

    /** Defaults handed to sinks and sources: the key serde is the one this serde may lack. */
    private abstract class Defaults implements WrappingNullableSerde {
        @Override
        public void setIfUnset(Serde<?> defaultValueSerde) {}

        @Override
        public void setIfUnset(Serde<?> defaultKeySerde, Serde<?> defaultValueSerde) {
            SubscriptionWrapperSerde.this.setIfUnset(defaultKeySerde);
        }
    }

    private final class WrapperSerializer extends Defaults implements Serializer<SubscriptionWrapper<K>> {
        @Override
        public byte[] serialize(String topic, SubscriptionWrapper<K> data) {
            if (data == null) {
                return null;
            }
            byte[] key = primaryKeySerde.serializer().serialize(topic, data.primaryKey());
            if (key == null) {
                throw new SerializationException("The key serde wrote no bytes for the primary key " + data.primaryKey()
                        + " of a subscription to " + topic);
            }
            long[] hash = data.hash();
            ByteBuffer out = ByteBuffer.allocate(3 + (hash == null ? 0 : HASH_BYTES) + 4 + key.length);
            out.put(VERSION).put(hash == null ? 0 : HAS_HASH).put(data.instruction().code);
            writeHash(out, hash);
            return out.putInt(data.primaryPartition()).put(key).array();
        }
    }

    private final class WrapperDeserializer extends Defaults implements Deserializer<SubscriptionWrapper<K>> {
        @Override
        public SubscriptionWrapper<K> deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(data);
            byte flags = readHeader(in, topic, "subscription", 3);
            SubscriptionWrapper.Instruction instruction;
            try {
                instruction = SubscriptionWrapper.Instruction.of(in.get());
            } catch (IllegalArgumentException e) {
                throw new SerializationException(e.getMessage() + " in a record of " + topic, e);
            }
            long[] hash = readHash(in, (flags & HAS_HASH) != 0, topic, "subscription");
            if (in.remaining() < 4) {
                throw new SerializationException("A subscription read from " + topic + " ends before its partition");
            }
            int partition = in.getInt();
            byte[] key = Arrays.copyOfRange(data, in.position(), data.length);
            return new SubscriptionWrapper<>(
                    hash, instruction, primaryKeySerde.deserializer().deserialize(topic, key), partition);
        }
    }

    /**
     * Reads the version and flags of a wrapper of {@code what} and checks that {@code header} bytes are there.
     *
     * @return the flags
     * @throws SerializationException for a short record or a version this code does not know
     */
    static byte readHeader(ByteBuffer in, String topic, String what, int header) {
        if (in.remaining() < header) {
            throw new SerializationException(
                    "A " + what + " read from " + topic + " has " + in.remaining() + " bytes, fewer than its header");
        }
        byte version = in.get();
        if (version != VERSION) {
            throw new SerializationException("A " + what + " read from " + topic + " has version " + version
                    + "; this version of Weir reads version " + VERSION + " only");
        }
        return in.get();
    }

    static void writeHash(ByteBuffer out, long[] hash) {
        if (hash != null) {
            out.putLong(hash[0]).putLong(hash[1]);
        }
    }

    static long[] readHash(ByteBuffer in, boolean present, String topic, String what) {
        if (!present) {
            return null;
        }
        if (in.remaining() < HASH_BYTES) {
            throw new SerializationException("A " + what + " read from " + topic + " ends inside its hash");
        }
        return new long[] {in.getLong(), in.getLong()};
    }
}
