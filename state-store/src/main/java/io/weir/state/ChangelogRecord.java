package io.weir.state;

import java.util.Objects;

/**
 * One record of a store's changelog topic, as handed to {@link StateStore#restore}: serialized key and value
 * ({@code null} value = tombstone) at a changelog offset. The arrays are not copied; do not modify them.
 */
public record ChangelogRecord(long offset, byte[] key, byte[] value) {
    public ChangelogRecord {
        if (offset < 0) {
            throw new IllegalArgumentException("changelog offset must be >= 0, was " + offset);
        }
        Objects.requireNonNull(key, "key");
    }
}
