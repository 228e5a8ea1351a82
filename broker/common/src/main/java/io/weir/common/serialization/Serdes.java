package io.weir.common.serialization;

import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.UUID;

/**
 * The standard {@link Serde}s, with Kafka's encodings and names ({@code Serdes.String()}, {@code Serdes.Long()},
 * ...), and {@link #serdeFrom} to pair any serializer with its deserializer. Each call returns a new instance, as
 * Kafka's do, since a user may configure one; the classes behind them ({@code Serdes.StringSerde}, ...) have
 * no-argument constructors so that a configuration can name them.
 */
public final class Serdes {

    private Serdes() {}

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
        return new StringSerde();
    }

    /** 8-byte big-endian longs. */
    public static Serde<Long> Long() {
        return new LongSerde();
    }

    /** 4-byte big-endian ints. */
    public static Serde<Integer> Integer() {
        return new IntegerSerde();
    }

    /** 2-byte big-endian shorts. */
    public static Serde<Short> Short() {
        return new ShortSerde();
    }

    /** IEEE 754 doubles, 8 bytes big-endian. */
    public static Serde<Double> Double() {
        return new DoubleSerde();
    }

    /** IEEE 754 floats, 4 bytes big-endian. */
    public static Serde<Float> Float() {
        return new FloatSerde();
    }

    /** The bytes as they are. */
    public static Serde<byte[]> ByteArray() {
        return new ByteArraySerde();
    }

    /** A buffer's remaining bytes. */
    public static Serde<ByteBuffer> ByteBuffer() {
        return new ByteBufferSerde();
    }

    /** UUIDs in their 36-character string form, as Kafka's. */
    public static Serde<UUID> UUID() {
        return new UUIDSerde();
    }

    /** Nothing: for keys or values that are always null. */
    public static Serde<Void> Void() {
        return new VoidSerde();
    }

    /** UTF-8 strings. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class StringSerde extends WrapperSerde<String> {
        public StringSerde() {
            super(new StringSerializer(), new StringDeserializer());
        }
    }

    /** 8-byte big-endian longs. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class LongSerde extends WrapperSerde<Long> {
        public LongSerde() {
            super(new LongSerializer(), new LongDeserializer());
        }
    }

    /** 4-byte big-endian ints. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class IntegerSerde extends WrapperSerde<Integer> {
        public IntegerSerde() {
            super(new IntegerSerializer(), new IntegerDeserializer());
        }
    }

    /** 2-byte big-endian shorts. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class ShortSerde extends WrapperSerde<Short> {
        public ShortSerde() {
            super(new ShortSerializer(), new ShortDeserializer());
        }
    }

    /** IEEE 754 doubles, 8 bytes big-endian. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class DoubleSerde extends WrapperSerde<Double> {
        public DoubleSerde() {
            super(new DoubleSerializer(), new DoubleDeserializer());
        }
    }

    /** IEEE 754 floats, 4 bytes big-endian. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class FloatSerde extends WrapperSerde<Float> {
        public FloatSerde() {
            super(new FloatSerializer(), new FloatDeserializer());
        }
    }

    /** The bytes as they are. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class ByteArraySerde extends WrapperSerde<byte[]> {
        public ByteArraySerde() {
            super(new ByteArraySerializer(), new ByteArrayDeserializer());
        }
    }

    /** A buffer's remaining bytes. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class ByteBufferSerde extends WrapperSerde<ByteBuffer> {
        public ByteBufferSerde() {
            super(new ByteBufferSerializer(), new ByteBufferDeserializer());
        }
    }

    /** UUIDs in their 36-character string form, as Kafka's. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class UUIDSerde extends WrapperSerde<UUID> {
        public UUIDSerde() {
            super(new UUIDSerializer(), new UUIDDeserializer());
        }
    }

    /** Nothing: for keys or values that are always null. A class with a no-argument constructor, for {@code default.key.serde} and friends. */
    public static final class VoidSerde extends WrapperSerde<Void> {
        public VoidSerde() {
            super(new VoidSerializer(), new VoidDeserializer());
        }
    }
}
