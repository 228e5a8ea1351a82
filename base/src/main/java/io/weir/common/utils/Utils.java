package io.weir.common.utils;

/**
 * Kafka's key hashing, bit for bit: records keyed the same way land in the same partition whether a Weir or a
 * Kafka producer sent them, which is what lets a topology move between the two without reshuffling state.
 * Stateless and thread-safe.
 */
public final class Utils {
    private Utils() {}

    /**
     * The 32-bit MurmurHash2 variant Kafka's default partitioner uses (seed 0x9747b28c, little-endian 4-byte
     * blocks, tail bytes mixed in descending order).
     *
     * @throws NullPointerException if {@code data} is null
     */
    public static int murmur2(byte[] data) {
        final int length = data.length;
        final int m = 0x5bd1e995;
        final int r = 24;
        int h = 0x9747b28c ^ length;

        int blocks = length >>> 2;
        for (int i = 0; i < blocks; i++) {
            int i4 = i << 2;
            int k = (data[i4] & 0xff)
                    | ((data[i4 + 1] & 0xff) << 8)
                    | ((data[i4 + 2] & 0xff) << 16)
                    | ((data[i4 + 3] & 0xff) << 24);
            k *= m;
            k ^= k >>> r;
            k *= m;
            h *= m;
            h ^= k;
        }

        // The 1-3 tail bytes accumulate from the highest down, then one multiply (the reference's fall-through).
        int tail = length & ~3;
        int rest = length & 3;
        if (rest == 3) {
            h ^= (data[tail + 2] & 0xff) << 16;
        }
        if (rest >= 2) {
            h ^= (data[tail + 1] & 0xff) << 8;
        }
        if (rest >= 1) {
            h ^= data[tail] & 0xff;
            h *= m;
        }

        h ^= h >>> 13;
        h *= m;
        h ^= h >>> 15;
        return h;
    }

    /**
     * Clears the sign bit. Unlike {@code Math.abs} this maps {@code Integer.MIN_VALUE} to 0 instead of leaving
     * it negative, so {@code toPositive(hash) % n} is always a valid partition.
     */
    public static int toPositive(int number) {
        return number & 0x7fffffff;
    }
}
