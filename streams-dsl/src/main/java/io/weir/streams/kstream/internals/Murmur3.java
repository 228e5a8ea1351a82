package io.weir.streams.kstream.internals;

/**
 * MurmurHash3 x64, 128 bits (Austin Appleby's public-domain reference, {@code MurmurHash3_x64_128}), with Kafka
 * Streams' seed: the hash a foreign-key join keeps of a left value, to tell a response to the current value from a
 * stale one. 128 bits make a collision between two successive values of one key negligible (about 2^-64 for a
 * random pair), and the function is fast and stable across JVMs, which a stored hash needs. Stateless.
 */
final class Murmur3 {
    /** Kafka Streams' {@code Murmur3.DEFAULT_SEED}. */
    static final int SEED = 104729;

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {}

    /** The two 64-bit halves {h1, h2} of the hash of {@code data}, which may be empty. */
    static long[] hash128(byte[] data) {
        return hash128(data, SEED);
    }

    static long[] hash128(byte[] data, int seed) {
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;
        int length = data.length;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            long k1 = littleEndianLong(data, i << 4);
            long k2 = littleEndianLong(data, (i << 4) + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27);
            h1 += h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31);
            h2 += h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        // The tail: up to 15 bytes, k2 from bytes 8..14 and k1 from bytes 0..7, little-endian.
        int tail = blocks << 4;
        long k1 = 0;
        long k2 = 0;
        switch (length & 15) {
            case 15:
                k2 ^= (data[tail + 14] & 0xffL) << 48;
            case 14:
                k2 ^= (data[tail + 13] & 0xffL) << 40;
            case 13:
                k2 ^= (data[tail + 12] & 0xffL) << 32;
            case 12:
                k2 ^= (data[tail + 11] & 0xffL) << 24;
            case 11:
                k2 ^= (data[tail + 10] & 0xffL) << 16;
            case 10:
                k2 ^= (data[tail + 9] & 0xffL) << 8;
            case 9:
                k2 ^= data[tail + 8] & 0xffL;
                h2 ^= mixK2(k2);
            case 8:
                k1 ^= (data[tail + 7] & 0xffL) << 56;
            case 7:
                k1 ^= (data[tail + 6] & 0xffL) << 48;
            case 6:
                k1 ^= (data[tail + 5] & 0xffL) << 40;
            case 5:
                k1 ^= (data[tail + 4] & 0xffL) << 32;
            case 4:
                k1 ^= (data[tail + 3] & 0xffL) << 24;
            case 3:
                k1 ^= (data[tail + 2] & 0xffL) << 16;
            case 2:
                k1 ^= (data[tail + 1] & 0xffL) << 8;
            case 1:
                k1 ^= data[tail] & 0xffL;
                h1 ^= mixK1(k1);
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix64(h1);
        h2 = fmix64(h2);
        h1 += h2;
        h2 += h1;
        return new long[] {h1, h2};
    }

    private static long littleEndianLong(byte[] data, int at) {
        long v = 0;
        for (int i = 7; i >= 0; i--) {
            v = (v << 8) | (data[at + i] & 0xffL);
        }
        return v;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix64(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb9fe1a85ec53L;
        k ^= k >>> 33;
        return k;
    }
}
