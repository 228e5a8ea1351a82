package io.weir.streams.state.internals;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.state.ValueAndTimestamp;
import java.nio.ByteBuffer;

/**
 * Kafka Streams' timestamped store layout: the timestamp as 8 bytes big-endian, then the value's own bytes. Null
 * stays null (a deleted entry).
 */
public final class ValueAndTimestampSerde<V> implements Serde<ValueAndTimestamp<V>> {
    private final Serde<V> inner;

    public ValueAndTimestampSerde(Serde<V> inner) {
        this.inner = inner;
    }

    @Override
    public Serializer<ValueAndTimestamp<V>> serializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            byte[] value = inner.serializer().serialize(topic, data.value());
            return ByteBuffer.allocate(8 + value.length)
                    .putLong(data.timestamp())
                    .put(value)
                    .array();
        };
    }

    @Override
    public Deserializer<ValueAndTimestamp<V>> deserializer() {
        return (topic, data) -> {
            if (data == null) {
                return null;
            }
            if (data.length < 8) {
                throw new SerializationException("A timestamped value of topic " + topic + " has " + data.length
                        + " bytes, fewer than its 8-byte timestamp");
            }
            ByteBuffer buffer = ByteBuffer.wrap(data);
            long timestamp = buffer.getLong();
            byte[] value = new byte[data.length - 8];
            buffer.get(value);
            return ValueAndTimestamp.make(inner.deserializer().deserialize(topic, value), timestamp);
        };
    }
}
