package io.weir.common.utils;

import java.util.Arrays;

/**
 * A byte array with value equality and unsigned lexicographic order, as Kafka's {@code Bytes}: the key type of
 * byte-level stores ({@code KeyValueStore<Bytes, byte[]>} in a {@code Materialized}'s type). Wraps without copying;
 * do not change the array afterwards.
 */
public final class Bytes implements Comparable<Bytes> {
    private final byte[] bytes;

    private Bytes(byte[] bytes) {
        this.bytes = bytes;
    }

    /** The wrapper of {@code bytes}, or null for null. */
    public static Bytes wrap(byte[] bytes) {
        return bytes == null ? null : new Bytes(bytes);
    }

    public byte[] get() {
        return bytes;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Bytes other && Arrays.equals(bytes, other.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public int compareTo(Bytes other) {
        return Arrays.compareUnsigned(bytes, other.bytes);
    }

    @Override
    public String toString() {
        return Arrays.toString(bytes);
    }
}
