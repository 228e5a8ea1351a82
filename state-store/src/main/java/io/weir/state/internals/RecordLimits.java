package io.weir.state.internals;

import io.weir.state.errors.InvalidKeyException;
import io.weir.state.errors.RecordTooLargeException;
import io.weir.state.errors.RecordTooLargeException.Part;

/**
 * Size rules every store applies before changing anything: keys 1..{@code maxKeyBytes} (LMDB's compiled-in 511,
 * also applied to the in-memory store so both keep one contract), values up to {@code maxValueBytes}.
 */
record RecordLimits(String store, int maxKeyBytes, int maxValueBytes) {
    /** LMDB's default {@code MDB_MAXKEYSIZE}; {@code Env.getMaxKeySize()} reports the same for lmdbjava's build. */
    static final int LMDB_MAX_KEY_BYTES = 511;

    void checkKey(byte[] key) {
        if (key == null) {
            throw new InvalidKeyException(store, "key is null");
        }
        if (key.length == 0) {
            throw new InvalidKeyException(store, "key serialized to 0 bytes; keys need 1.." + maxKeyBytes + " bytes");
        }
        if (key.length > maxKeyBytes) {
            throw new RecordTooLargeException(store, Part.KEY, key.length, maxKeyBytes);
        }
    }

    void checkValue(byte[] value) {
        if (value != null && value.length > maxValueBytes) {
            throw new RecordTooLargeException(store, Part.VALUE, value.length, maxValueBytes);
        }
    }

    /** Range bounds and prefixes may be null (unbounded) or empty, but no longer than a key can be. */
    void checkBound(byte[] bound) {
        if (bound != null && bound.length > maxKeyBytes) {
            throw new RecordTooLargeException(store, Part.KEY, bound.length, maxKeyBytes);
        }
    }
}
