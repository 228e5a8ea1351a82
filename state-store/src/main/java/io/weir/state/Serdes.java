package io.weir.state;

import io.weir.state.errors.SerializationException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * Built-in serdes. The fixed-width numeric ones are big-endian. {@link #int32()} and {@link #int64()} use two's
 * complement, as Kafka's serdes do, so negative numbers sort after positive ones; {@link #orderedInt32()} and
 * {@link #orderedInt64()} flip the sign bit so that the unsigned byte order of the encodings is the numeric order,
 * which makes range scans over numeric keys work.
 */
public final class Serdes {
    private Serdes() {}

    private static final VarHandle BIG_ENDIAN_LONG =
            MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final VarHandle BIG_ENDIAN_INT =
            MethodHandles.byteArrayViewVarHandle(int[].class, ByteOrder.BIG_ENDIAN);

    private static final Serde<String> STRING = new Serde<>() {
        @Override
        public byte[] serialize(String value) {
            return value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        }

        @Override
        public String deserialize(byte[] bytes) {
            return bytes == null ? null : new String(bytes, StandardCharsets.UTF_8);
        }
    };

    private static final Serde<byte[]> BYTES = new Serde<>() {
        @Override
        public byte[] serialize(byte[] value) {
            return value;
        }

        @Override
        public byte[] deserialize(byte[] bytes) {
            return bytes;
        }
    };

    private static final Serde<Integer> INT32 = intSerde(0);
    private static final Serde<Integer> ORDERED_INT32 = intSerde(Integer.MIN_VALUE);
    private static final Serde<Long> INT64 = longSerde(0L);
    private static final Serde<Long> ORDERED_INT64 = longSerde(Long.MIN_VALUE);

    private static final Serde<Double> FLOAT64 = new Serde<>() {
        @Override
        public byte[] serialize(Double value) {
            return value == null ? null : putLong(new byte[8], 0, Double.doubleToLongBits(value));
        }

        @Override
        public Double deserialize(byte[] bytes) {
            return bytes == null ? null : Double.longBitsToDouble(getLong(checkLength(bytes, 8, "Double"), 0));
        }
    };

    private static final Serde<UUID> UUID_SERDE = new Serde<>() {
        @Override
        public byte[] serialize(UUID value) {
            if (value == null) {
                return null;
            }
            byte[] out = new byte[16];
            putLong(out, 0, value.getMostSignificantBits());
            return putLong(out, 8, value.getLeastSignificantBits());
        }

        @Override
        public UUID deserialize(byte[] bytes) {
            return bytes == null ? null : new UUID(getLong(checkLength(bytes, 16, "UUID"), 0), getLong(bytes, 8));
        }
    };

    /** UTF-8 strings. */
    public static Serde<String> string() {
        return STRING;
    }

    /** Byte arrays, passed through without copying. */
    public static Serde<byte[]> byteArray() {
        return BYTES;
    }

    /** 4-byte big-endian two's complement (Kafka's IntegerSerde layout). */
    public static Serde<Integer> int32() {
        return INT32;
    }

    /** 8-byte big-endian two's complement (Kafka's LongSerde layout). */
    public static Serde<Long> int64() {
        return INT64;
    }

    /** 4-byte big-endian with the sign bit flipped: byte order is numeric order. */
    public static Serde<Integer> orderedInt32() {
        return ORDERED_INT32;
    }

    /** 8-byte big-endian with the sign bit flipped: byte order is numeric order. */
    public static Serde<Long> orderedInt64() {
        return ORDERED_INT64;
    }

    /** 8-byte big-endian IEEE 754 (Kafka's DoubleSerde layout). */
    public static Serde<Double> float64() {
        return FLOAT64;
    }

    /** 16 bytes: most significant long then least significant long, big-endian. */
    public static Serde<UUID> uuid() {
        return UUID_SERDE;
    }

    private static Serde<Integer> intSerde(int flip) {
        return new Serde<>() {
            @Override
            public byte[] serialize(Integer value) {
                if (value == null) {
                    return null;
                }
                byte[] out = new byte[4];
                BIG_ENDIAN_INT.set(out, 0, value ^ flip);
                return out;
            }

            @Override
            public Integer deserialize(byte[] b) {
                if (b == null) {
                    return null;
                }
                checkLength(b, 4, "Integer");
                return (int) BIG_ENDIAN_INT.get(b, 0) ^ flip;
            }
        };
    }

    private static Serde<Long> longSerde(long flip) {
        return new Serde<>() {
            @Override
            public byte[] serialize(Long value) {
                return value == null ? null : putLong(new byte[8], 0, value ^ flip);
            }

            @Override
            public Long deserialize(byte[] bytes) {
                return bytes == null ? null : getLong(checkLength(bytes, 8, "Long"), 0) ^ flip;
            }
        };
    }

    private static byte[] checkLength(byte[] bytes, int expected, String type) {
        if (bytes.length != expected) {
            throw new SerializationException(
                    "cannot deserialize " + type + ": expected " + expected + " bytes, got " + bytes.length);
        }
        return bytes;
    }

    private static byte[] putLong(byte[] out, int at, long v) {
        BIG_ENDIAN_LONG.set(out, at, v);
        return out;
    }

    private static long getLong(byte[] in, int at) {
        return (long) BIG_ENDIAN_LONG.get(in, at);
    }
}
