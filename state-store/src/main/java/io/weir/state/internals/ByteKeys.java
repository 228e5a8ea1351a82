package io.weir.state.internals;

import java.util.Arrays;
import java.util.Comparator;

/** The key order of every store: unsigned lexicographic over bytes, LMDB's default {@code memcmp} order. */
final class ByteKeys {
    static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;

    private ByteKeys() {}

    static int compare(byte[] a, byte[] b) {
        return Arrays.compareUnsigned(a, b);
    }

    /**
     * The smallest key greater than every key that starts with {@code prefix}, or {@code null} if there is none
     * (the prefix is all 0xFF bytes). Used as the exclusive upper bound of a prefix scan.
     */
    static byte[] prefixEnd(byte[] prefix) {
        for (int i = prefix.length - 1; i >= 0; i--) {
            if (prefix[i] != (byte) 0xFF) {
                byte[] end = Arrays.copyOf(prefix, i + 1);
                end[i]++;
                return end;
            }
        }
        return null;
    }

    static String describe(byte[] key) {
        StringBuilder sb = new StringBuilder(Math.min(key.length, 16) * 2 + 8);
        for (int i = 0; i < Math.min(key.length, 16); i++) {
            sb.append(Character.forDigit((key[i] >> 4) & 0xF, 16)).append(Character.forDigit(key[i] & 0xF, 16));
        }
        return key.length > 16
                ? sb.append("...(").append(key.length).append(" bytes)").toString()
                : sb.toString();
    }
}
