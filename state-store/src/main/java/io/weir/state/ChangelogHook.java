package io.weir.state;

/**
 * Sees every write that reaches the store, after the record cache has collapsed repeated updates of a key, in the
 * order they are applied; the streams layer sends them to the store's compacted changelog topic. Called on the
 * owner thread, before the write is applied: if the hook throws, the write is not applied.
 *
 * <p>The arrays are the store's own; do not modify them.
 */
@FunctionalInterface
public interface ChangelogHook {
    /** @param value the new serialized value, or {@code null} for a delete (a tombstone) */
    void logChange(byte[] key, byte[] value);
}
