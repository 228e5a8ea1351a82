package io.weir.streams.kstream.internals;

/**
 * The hash a foreign-key join keeps of a left value, to tell a response to the current value from a stale one:
 * MurmurHash3 x64 128 ({@link io.weir.common.utils.Murmur3}) with Kafka Streams' seed, so the values match Kafka
 * Streams'. 128 bits make a collision between two successive values of one key negligible (about 2^-64 for a random
 * pair). Stateless.
 */
final class Murmur3 {
    /** Kafka Streams' {@code Murmur3.DEFAULT_SEED}. */
    static final int SEED = 104729;

    private Murmur3() {}

    /** The two 64-bit halves {h1, h2} of the hash of {@code data}, which may be empty. */
    static long[] hash128(byte[] data) {
        return hash128(data, SEED);
    }

    static long[] hash128(byte[] data, int seed) {
        return io.weir.common.utils.Murmur3.hash128(data, seed);
    }
}
