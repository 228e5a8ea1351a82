package io.weir.state.internals;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.RemovalCause;
import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.errors.UncommittedWritesException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A record cache in front of a store, bounded in bytes ({@code statestore.cache.max.bytes}) by a Caffeine cache.
 *
 * <p>Invariants. (1) {@code dirty} holds exactly the entries written since they were last written down, one per
 * key — repeated updates of a key replace its entry, which is how they collapse. (2) A key's value as the owner sees
 * it is its {@code dirty} entry if any, else its cached entry if any, else the store's. (3) Every dirty entry is
 * also in the Caffeine cache, or was evicted from it and failed to write down (then it stays dirty and the failure
 * is rethrown to the caller of the operation that evicted it). Writing an entry down means: write it to the store
 * below (whose change-logging layer hands it to the changelog hook first), then pass it to the forwarder — so the
 * store, the hook and the forwarder see the same sequence. {@link #flush()} writes dirty entries down in the order
 * of their last update, as Kafka Streams' caches do (key order would hand downstream a later update of one key before
 * an earlier one of another: a suppression downstream would see time move past a window whose final update has not
 * come yet); evicting a dirty entry writes it down first.
 *
 * <p>Threading: owner thread only. Caffeine runs its maintenance (and so the eviction listener) on the calling
 * thread ({@code executor(Runnable::run)}), which keeps every write-down on the owner thread. Readers on other
 * threads use the store's committed view and never touch the cache, which holds uncommitted data.
 */
final class CachingBytesStore extends DelegatingBytesStore {
    /** Rough per-entry overhead of the cache and dirty-map nodes, so that tiny entries still count. */
    static final int ENTRY_OVERHEAD_BYTES = 64;

    private final Cache<Key, Entry> cache;
    /**
     * The entries written since they were last written down, by key, in the order of their last update (a put moves
     * its key to the end); hashed, so that the hot path (a get or put of a key updated many times between commits)
     * costs no ordered-map search; sorted only when scanned.
     */
    private final LinkedHashMap<Key, Entry> dirty = new LinkedHashMap<>();

    private final Forwarder forwarder;

    /** Receives each entry written down: its key, its new value (null: deleted) and the value it replaced. */
    @FunctionalInterface
    interface Forwarder {
        void accept(byte[] key, byte[] newValue, byte[] oldValue);
    }

    private RuntimeException evictionFailure;

    CachingBytesStore(BytesStore inner, long maxBytes, Forwarder forwarder) {
        super(inner);
        this.forwarder = forwarder;
        this.cache = Caffeine.newBuilder()
                .maximumWeight(maxBytes)
                .weigher((Key k, Entry e) ->
                        k.bytes.length + (e.value == null ? 0 : e.value.length) + ENTRY_OVERHEAD_BYTES)
                .executor(Runnable::run)
                .evictionListener(this::onEviction)
                .build();
    }

    /** A cached value; {@code null} = known absent. Compared by identity (which write it came from). */
    static final class Entry {
        final byte[] value;

        Entry(byte[] value) {
            this.value = value;
        }
    }

    /** Hash key over the bytes for Caffeine. */
    static final class Key {
        final byte[] bytes;
        private final int hash;

        Key(byte[] bytes) {
            this.bytes = bytes;
            this.hash = Arrays.hashCode(bytes);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Key k && k.hash == hash && Arrays.equals(k.bytes, bytes);
        }

        @Override
        public int hashCode() {
            return hash;
        }
    }

    private void onEviction(Key key, Entry entry, RemovalCause cause) {
        if (key == null || entry == null || dirty.get(key) != entry) {
            return;
        }
        try {
            writeDown(key.bytes, entry.value);
            dirty.remove(key, entry);
        } catch (RuntimeException e) {
            // Caffeine would log and swallow it; keep the entry dirty and report to the caller instead.
            evictionFailure = e;
        }
    }

    private void rethrowEvictionFailure() {
        RuntimeException failure = evictionFailure;
        if (failure != null) {
            evictionFailure = null;
            throw failure;
        }
    }

    private void writeDown(byte[] key, byte[] value) {
        byte[] old = forwarder == null ? null : inner.get(key);
        inner.put(key, value);
        if (forwarder != null) {
            forwarder.accept(key, value, old);
        }
    }

    @Override
    public byte[] get(byte[] key) {
        ensureOpen();
        limits().checkKey(key);
        Key k = new Key(key);
        // A dirty entry is in the cache too, unless its eviction failed to write it down: cache, then dirty.
        Entry cached = cache.getIfPresent(k);
        if (cached != null) {
            return cached.value;
        }
        Entry d = dirty.get(k);
        if (d != null) {
            return d.value;
        }
        byte[] value = inner.get(key);
        cache.put(k, new Entry(value));
        rethrowEvictionFailure();
        return value;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        ensureOpen();
        limits().checkKey(key);
        limits().checkValue(value);
        Entry e = new Entry(value);
        Key k = new Key(key);
        // Dirty first: Caffeine may evict the new entry within put, and the listener must see it as dirty. Removed
        // first, so that the key moves to the end of the flush order.
        dirty.remove(k);
        dirty.put(k, e);
        cache.put(k, e);
        rethrowEvictionFailure();
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        limits().checkValue(value);
        byte[] existing = get(key);
        if (existing == null) {
            put(key, value);
        }
        return existing;
    }

    @Override
    public byte[] delete(byte[] key) {
        byte[] existing = get(key);
        put(key, null);
        return existing;
    }

    @Override
    public BytesIterator scan(ScanRange range) {
        ensureOpen();
        if (range.isEmpty() || dirty.isEmpty()) {
            return inner.scan(range);
        }
        limits().checkBound(range.from());
        limits().checkBound(range.to());
        TreeMap<byte[], Entry> sorted = new TreeMap<>(ByteKeys.UNSIGNED);
        dirty.forEach((k, e) -> sorted.put(k.bytes, e));
        List<KeyValue<byte[], byte[]>> overlay = new ArrayList<>();
        for (Map.Entry<byte[], Entry> e : range.of(sorted).entrySet()) {
            byte[] v = e.getValue().value;
            overlay.add(new KeyValue<>(e.getKey(), v == null ? PendingWrites.TOMBSTONE : v));
        }
        BytesIterator base = inner.scan(range);
        return overlay.isEmpty() ? base : new MergingIterator(overlay, base, range.reverse());
    }

    @Override
    public long approximateNumEntries() {
        ensureOpen();
        return inner.approximateNumEntries() + dirty.size();
    }

    /** Writes every dirty entry down, in the order of last update; an entry leaves {@code dirty} once written. */
    @Override
    public void flush() {
        ensureOpen();
        while (!dirty.isEmpty()) {
            // A copy per round: a write-down may hand the forwarder work that writes here again.
            List<Map.Entry<Key, Entry>> round = new ArrayList<>(dirty.entrySet());
            for (Map.Entry<Key, Entry> e : round) {
                if (dirty.get(e.getKey()) != e.getValue()) {
                    continue; // rewritten by this round's forwarding: the newer entry is written in the next
                }
                writeDown(e.getKey().bytes, e.getValue().value);
                dirty.remove(e.getKey(), e.getValue());
            }
        }
        inner.flush();
    }

    @Override
    public void commit(OptionalLong changelogOffset) {
        flush();
        inner.commit(changelogOffset);
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        ensureOpen();
        if (!dirty.isEmpty()) {
            throw new UncommittedWritesException(name(), dirty.size());
        }
        cache.invalidateAll();
        try {
            return inner.restore(records, expectedTotal, listener);
        } finally {
            cache.invalidateAll();
        }
    }

    @Override
    public void close() {
        inner.close();
        dirty.clear();
        cache.invalidateAll();
    }

    int dirtyEntries() {
        return dirty.size();
    }
}
