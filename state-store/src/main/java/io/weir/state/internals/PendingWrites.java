package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.TreeMap;

/**
 * The owner thread's writes since the last commit, in key order, with deletes as {@link #TOMBSTONE}. Reads of the
 * owner overlay these on the committed data; commit applies them in one transaction, in key order (which also gives
 * LMDB sequential page access). Owner-thread only: not thread-safe.
 */
final class PendingWrites {
    /** Marks a pending delete. Compared by identity: a real empty value is a different array. */
    static final byte[] TOMBSTONE = new byte[0];

    private final TreeMap<byte[], byte[]> writes = new TreeMap<>(ByteKeys.UNSIGNED);
    private int tombstones;

    /** @return null if {@code key} has no pending write, {@link #TOMBSTONE} for a pending delete, else the value */
    byte[] lookup(byte[] key) {
        return writes.get(key);
    }

    void put(byte[] key, byte[] valueOrNull) {
        byte[] stored = valueOrNull == null ? TOMBSTONE : valueOrNull;
        byte[] previous = writes.put(key, stored);
        if (previous == TOMBSTONE) {
            tombstones--;
        }
        if (stored == TOMBSTONE) {
            tombstones++;
        }
    }

    /** A copy of the pending entries inside {@code range}, in its direction, tombstones included. */
    List<KeyValue<byte[], byte[]>> snapshot(ScanRange range) {
        if (writes.isEmpty()) {
            return List.of();
        }
        NavigableMap<byte[], byte[]> sub = range.of(writes);
        if (sub.isEmpty()) {
            return List.of();
        }
        List<KeyValue<byte[], byte[]>> copy = new ArrayList<>(); // not sub.size(): a sub-map counts by walking it
        for (Map.Entry<byte[], byte[]> e : sub.entrySet()) {
            copy.add(new KeyValue<>(e.getKey(), e.getValue()));
        }
        return copy;
    }

    /** Forgets the pending writes inside {@code range}. */
    void removeRange(ScanRange range) {
        NavigableMap<byte[], byte[]> sub = range.of(writes);
        for (byte[] v : sub.values()) {
            if (v == TOMBSTONE) {
                tombstones--;
            }
        }
        sub.clear();
    }

    NavigableMap<byte[], byte[]> entries() {
        return writes;
    }

    boolean isEmpty() {
        return writes.isEmpty();
    }

    int size() {
        return writes.size();
    }

    int tombstones() {
        return tombstones;
    }

    void clear() {
        writes.clear();
        tombstones = 0;
    }
}
