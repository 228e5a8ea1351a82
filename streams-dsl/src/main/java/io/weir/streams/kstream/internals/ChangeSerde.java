package io.weir.streams.kstream.internals;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.processor.internals.WrappingNullableSerde;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The value serde of a table regrouping's repartition topic: a {@link Change} whose halves are the values to add to
 * and to subtract from the record key's aggregate, written with Kafka Streams' {@code ChangedSerializer} layout so
 * that the aggregation knows which is which. The last byte is the flag:
 *
 * <ul>
 *   <li>{@code {old value}{0}}: subtract only (the group key changed, or the row was deleted);
 *   <li>{@code {new value}{1}}: add only (the group key changed, or the row is new);
 *   <li>{@code {varint new length}{new value}{old value}{2}}: both, for an update that kept its group key (one
 *       record, so the aggregate never shows the value subtracted but not yet added back).
 * </ul>
 *
 * The length is a zig-zag varint as Kafka's {@code ByteUtils.writeVarint}. Kafka's flags 3 to 5 (versioned tables'
 * {@code isLatest}) are not written: Weir has no versioned stores. The inner serde is {@code Grouped}'s value serde,
 * or the application's default, which the sink and source hand in when their task starts.
 */
final class ChangeSerde<V> implements Serde<Change<V>> {
    static final byte OLD_ONLY = 0;
    static final byte NEW_ONLY = 1;
    static final byte BOTH = 2;

    /** Written once, before any record, by the first task's sink or source; volatile as tasks may run on threads. */
    private volatile Serde<V> inner;

    ChangeSerde(Serde<V> inner) {
        this.inner = inner;
    }

    @SuppressWarnings("unchecked")
    private void setIfUnset(Serde<?> defaultSerde) {
        if (inner == null) {
            inner = (Serde<V>) defaultSerde;
        }
    }

    @Override
    public Serializer<Change<V>> serializer() {
        return new ChangeSerializer();
    }

    @Override
    public Deserializer<Change<V>> deserializer() {
        return new ChangeDeserializer();
    }

    private final class ChangeSerializer implements Serializer<Change<V>>, WrappingNullableSerde {
        @Override
        public void setIfUnset(Serde<?> defaultValueSerde) {
            ChangeSerde.this.setIfUnset(defaultValueSerde);
        }

        @Override
        public byte[] serialize(String topic, Change<V> change) {
            if (change == null) {
                return null;
            }
            Serializer<V> values = inner.serializer();
            byte[] newData = change.newValue() == null ? null : values.serialize(topic, change.newValue());
            byte[] oldData = change.oldValue() == null ? null : values.serialize(topic, change.oldValue());
            if (newData != null && oldData != null) {
                ByteArrayOutputStream out = new ByteArrayOutputStream(newData.length + oldData.length + 6);
                writeVarint(newData.length, out);
                out.writeBytes(newData);
                out.writeBytes(oldData);
                out.write(BOTH);
                return out.toByteArray();
            }
            if (newData != null) {
                return withFlag(newData, NEW_ONLY);
            }
            if (oldData != null) {
                return withFlag(oldData, OLD_ONLY);
            }
            throw new SerializationException(
                    "A change to " + topic + " has neither a value to add nor one to subtract");
        }
    }

    private final class ChangeDeserializer implements Deserializer<Change<V>>, WrappingNullableSerde {
        @Override
        public void setIfUnset(Serde<?> defaultValueSerde) {
            ChangeSerde.this.setIfUnset(defaultValueSerde);
        }

        @Override
        public Change<V> deserialize(String topic, byte[] data) {
            if (data == null) {
                return null;
            }
            if (data.length == 0) {
                throw new SerializationException("A change read from " + topic + " has no flag byte");
            }
            Deserializer<V> values = inner.deserializer();
            byte flag = data[data.length - 1];
            switch (flag) {
                case OLD_ONLY:
                    return new Change<>(null, values.deserialize(topic, Arrays.copyOf(data, data.length - 1)));
                case NEW_ONLY:
                    return new Change<>(values.deserialize(topic, Arrays.copyOf(data, data.length - 1)), null);
                case BOTH:
                    ByteBuffer buffer = ByteBuffer.wrap(data, 0, data.length - 1);
                    int newLength = readVarint(buffer, topic);
                    if (newLength < 0 || newLength > buffer.remaining()) {
                        throw new SerializationException("A change read from " + topic + " gives its new value "
                                + newLength + " bytes of the " + buffer.remaining() + " it has");
                    }
                    int start = buffer.position();
                    byte[] newData = Arrays.copyOfRange(data, start, start + newLength);
                    byte[] oldData = Arrays.copyOfRange(data, start + newLength, data.length - 1);
                    return new Change<>(values.deserialize(topic, newData), values.deserialize(topic, oldData));
                default:
                    throw new SerializationException("A change read from " + topic + " has the unknown flag " + flag);
            }
        }
    }

    private static byte[] withFlag(byte[] data, byte flag) {
        byte[] out = Arrays.copyOf(data, data.length + 1);
        out[data.length] = flag;
        return out;
    }

    /** Kafka's {@code ByteUtils.writeVarint}: zig-zag, then seven bits a byte, low first. */
    private static void writeVarint(int value, ByteArrayOutputStream out) {
        int v = (value << 1) ^ (value >> 31);
        while ((v & 0xffffff80) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(ByteBuffer buffer, String topic) {
        int value = 0;
        for (int shift = 0; shift < 32; shift += 7) {
            if (!buffer.hasRemaining()) {
                throw new SerializationException("A change read from " + topic + " ends inside its length");
            }
            int b = buffer.get();
            value |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return (value >>> 1) ^ -(value & 1);
            }
        }
        throw new SerializationException("A change read from " + topic + " has a length longer than 5 bytes");
    }
}
