package io.weir.common.serialization;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * The standard {@link Serde}s, with Kafka's encodings and names ({@code Serdes.String()}, {@code Serdes.Long()},
 * ...), and {@link #serdeFrom} to pair any serializer with its deserializer. The serdes hold no state; each call
 * returns a new instance, as Kafka's do, since a user may configure one.
 */
public final class Serdes {

    private Serdes() {
    }

    /** A serde of a serializer and deserializer pair. */
    public static class WrapperSerde<T> implements Serde<T> {
        private final Serializer<T> serializer;
        private final Deserializer<T> deserializer;

        public WrapperSerde(Serializer<T> serializer, Deserializer<T> deserializer) {
            this.serializer = Objects.requireNonNull(serializer, "serializer");
            this.deserializer = Objects.requireNonNull(deserializer, "deserializer");
        }

        @Override
        public Serializer<T> serializer() {
            return serializer;
        }

        @Override
        public Deserializer<T> deserializer() {
            return deserializer;
        }
    }

    /** Pairs {@code serializer} with {@code deserializer}. */
    public static <T> Serde<T> serdeFrom(Serializer<T> serializer, Deserializer<T> deserializer) {
        return new WrapperSerde<>(serializer, deserializer);
    }

    /** UTF-8 strings. */
    public static Serde<String> String() {
        return serdeFrom(new StringSerializer(), new StringDeserializer());
    }

    /** 8-byte big-endian longs. */
    public static Serde<Long> Long() {
        return serdeFrom(new LongSerializer(), new LongDeserializer());
    }

    /** 4-byte big-endian ints. */
    public static Serde<Integer> Integer() {
        return serdeFrom(new IntegerSerializer(), new IntegerDeserializer());
    }

    /** 2-byte big-endian shorts. */
    public static Serde<Short> Short() {
        return serdeFrom(new ShortSerializer(), new ShortDeserializer());
    }

    /** IEEE 754 doubles, 8 bytes big-endian. */
    public static Serde<Double> Double() {
        return serdeFrom(new DoubleSerializer(), new DoubleDeserializer());
    }

    /** IEEE 754 floats, 4 bytes big-endian. */
    public static Serde<Float> Float() {
        return serdeFrom(new FloatSerializer(), new FloatDeserializer());
    }

    /** The bytes as they are. */
    public static Serde<byte[]> ByteArray() {
        return serdeFrom(new ByteArraySerializer(), new ByteArrayDeserializer());
    }

    /** A buffer's remaining bytes. */
    public static Serde<ByteBuffer> ByteBuffer() {
        return serdeFrom(new ByteBufferSerializer(), new ByteBufferDeserializer());
    }

    /** UUIDs in their 36-character string form, as Kafka's. */
    public static Serde<UUID> UUID() {
        return serdeFrom(new UUIDSerializer(), new UUIDDeserializer());
    }

    /** Nothing: for keys or values that are always null. */
    public static Serde<Void> Void() {
        return serdeFrom(new VoidSerializer(), new VoidDeserializer());
    }
}
