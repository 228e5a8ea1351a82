package io.weir.common.utils;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * MurmurHash3 x64, 128 bits (Austin Appleby's public-domain reference, {@code MurmurHash3_x64_128}): fast and stable
 * across JVMs, so a hash may be stored. The log cleaner's offset map keys on it, and the streams layer's foreign-key
 * join keeps it of a left value (with Kafka Streams' seed). Stateless.
 */
public final class Murmur3 {
    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;

    private Murmur3() {}

    /** The two 64-bit halves {h1, h2} of the hash of {@code data}, which may be empty. */
    public static long[] hash128(byte[] data, int seed) {
        long[] out = new long[2];
        hash128(ByteBuffer.wrap(data), seed, out);
        return out;
    }

    /**
     * Hashes the remaining bytes of {@code data} (its position is left as it was) into {@code out[0]} (h1) and
     * {@code out[1]} (h2): no allocation, for hot paths.
     */
    public static void hash128(ByteBuffer data, int seed, long[] out) {
        boolean littleEndian = data.order() == ByteOrder.LITTLE_ENDIAN;
        int start = data.position();
        int length = data.remaining();
        long h1 = seed & 0xffffffffL;
        long h2 = seed & 0xffffffffL;
        int blocks = length >>> 4;
        for (int i = 0; i < blocks; i++) {
            long k1 = data.getLong(start + (i << 4));
            long k2 = data.getLong(start + (i << 4) + 8);
            if (!littleEndian) {
                k1 = Long.reverseBytes(k1);
                k2 = Long.reverseBytes(k2);
            }
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
        int tail = start + (blocks << 4);
        long k1 = 0;
        long k2 = 0;
        switch (length & 15) {
            case 15:
                k2 ^= (data.get(tail + 14) & 0xffL) << 48; // fall through
            case 14:
                k2 ^= (data.get(tail + 13) & 0xffL) << 40; // fall through
            case 13:
                k2 ^= (data.get(tail + 12) & 0xffL) << 32; // fall through
            case 12:
                k2 ^= (data.get(tail + 11) & 0xffL) << 24; // fall through
            case 11:
                k2 ^= (data.get(tail + 10) & 0xffL) << 16; // fall through
            case 10:
                k2 ^= (data.get(tail + 9) & 0xffL) << 8; // fall through
            case 9:
                k2 ^= data.get(tail + 8) & 0xffL;
                h2 ^= mixK2(k2);
                // fall through
            case 8:
                k1 ^= (data.get(tail + 7) & 0xffL) << 56; // fall through
            case 7:
                k1 ^= (data.get(tail + 6) & 0xffL) << 48; // fall through
            case 6:
                k1 ^= (data.get(tail + 5) & 0xffL) << 40; // fall through
            case 5:
                k1 ^= (data.get(tail + 4) & 0xffL) << 32; // fall through
            case 4:
                k1 ^= (data.get(tail + 3) & 0xffL) << 24; // fall through
            case 3:
                k1 ^= (data.get(tail + 2) & 0xffL) << 16; // fall through
            case 2:
                k1 ^= (data.get(tail + 1) & 0xffL) << 8; // fall through
            case 1:
                k1 ^= data.get(tail) & 0xffL;
                h1 ^= mixK1(k1);
                break;
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
        out[0] = h1;
        out[1] = h2;
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
