package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.processor.internals.WrappingNullableSerde;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a {@link SubscriptionResponseWrapper} on the response topic. Weir's own layout, version 0:
 *
 * <pre>
 *   version        1 byte   0; a reader refuses a newer one
 *   flags          1 byte   bit 0: a hash follows; bit 1: a foreign value follows (so an empty value is not null)
 *   hash          16 bytes  the left value's hash at subscription time (only with flag bit 0)
 *   foreign value  n bytes  the rest, by the right table's value serde (only with flag bit 1)
 * </pre>
 *
 * The primary partition is not written: it only routes the record. The value serde is the right table's, or the
 * application's {@code default.value.serde}, which the sink and source hand in.
 */
final class SubscriptionResponseWrapperSerde<VO> implements Serde<SubscriptionResponseWrapper<VO>> {
    private static final byte HAS_HASH = 1;
    private static final byte HAS_VALUE = 2;

    /** Written once, before any record, by the first task to start; volatile as tasks may run on other threads. */
    private volatile Serde<VO> foreignValueSerde;

    SubscriptionResponseWrapperSerde(Serde<VO> foreignValueSerde) {
        this.foreignValueSerde = foreignValueSerde;
    }

    @SuppressWarnings("unchecked")
    private void setIfUnset(Serde<?> defaultValueSerde) {
        if (foreignValueSerde == null) {
            foreignValueSerde = (Serde<VO>) defaultValueSerde;
        }
    }

    @Override
    public Serializer<SubscriptionResponseWrapper<VO>> serializer() {
        return new ResponseSerializer();
    }

    @Override
    public Deserializer<SubscriptionResponseWrapper<VO>> deserializer() {
        return new ResponseDeserializer();
    }

    private final class ResponseSerializer
            implements Serializer<SubscriptionResponseWrapper<VO>>, WrappingNullableSerde {
        @Override
        public void setIfUnset(Serde<?> defaultValueSerde) {
            SubscriptionResponseWrapperSerde.this.setIfUnset(defaultValueSerde);
        }

        @Override
        public byte[] serialize(String topic, SubscriptionResponseWrapper<VO> data) {
            if (data == null) {
                return null;
            }
            long[] hash = data.originalValueHash();
            byte[] value = data.foreignValue() == null
                    ? null
                    : foreignValueSerde.serializer().serialize(topic, data.foreignValue());
            int flags = (hash == null ? 0 : HAS_HASH) | (value == null ? 0 : HAS_VALUE);
            ByteBuffer out = ByteBuffer.allocate(
                    2 + (hash == null ? 0 : SubscriptionWrapperSerde.HASH_BYTES) + (value == null ? 0 : value.length));
            out.put(SubscriptionWrapperSerde.VERSION).put((byte) flags);
            SubscriptionWrapperSerde.writeHash(out, hash);
            if (value != null) {
                out.put(value);
            }
            return out.array();
        }
    }

    private final class ResponseDeserializer
            implements Deserializer<SubscriptionResponseWrapper<VO>>, WrappingNullableSerde {
        @Override
        public void setIfUnset(Serde<?> defaultValueSerde) {
            SubscriptionResponseWrapperSerde.this.setIfUnset(defaultValueSerde);
        }

        @Override
        public SubscriptionResponseWrapper<VO> deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            ByteBuffer in = ByteBuffer.wrap(data);
            byte flags = SubscriptionWrapperSerde.readHeader(in, topic, "subscription response", 2);
            long[] hash =
                    SubscriptionWrapperSerde.readHash(in, (flags & HAS_HASH) != 0, topic, "subscription response");
            VO value = (flags & HAS_VALUE) == 0
                    ? null
                    : foreignValueSerde
                            .deserializer()
                            .deserialize(topic, Arrays.copyOfRange(data, in.position(), data.length));
            return new SubscriptionResponseWrapper<>(hash, value, null);
        }
    }
}
