package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.errors.UncommittedWritesException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeMap;

/**
 * A record cache in front of a store, bounded in bytes ({@code statestore.cache.max.bytes}), least recently used
 * entries evicted first — Kafka Streams' {@code NamedCache} in spirit.
 *
 * <p>Invariants. (1) {@code entries} holds at most one node per key; a node is in the LRU list always, and in the
 * dirty list exactly while it holds a write not yet written down — repeated updates of a key replace its node's
 * value, which is how they collapse. (2) A key's value as the owner sees it is its node's value if it has one, else
 * the store's. (3) {@code bytes} is the sum of the nodes' weights, and after every operation it is at most
 * {@code maxBytes} unless a write-down failed (then the failure is thrown and the node stays, dirty). Writing an entry
 * down means: write it to the store below (whose change-logging layer hands it to the changelog hook first), then
 * pass it to the forwarder — so the store, the hook and the forwarder see the same sequence. {@link #flush()} writes
 * dirty entries down in the order of their last update, as Kafka Streams' caches do (key order would hand
 * downstream a later update of one key before an earlier one of another: a suppression downstream would see time
 * move past a window whose final update has not come yet); evicting a dirty entry writes it down first.
 *
 * <p>Threading: owner thread only, no locks. Readers on other threads use the store's committed view and never
 * touch the cache, which holds uncommitted data. (This was a Caffeine cache with a separate dirty map; a profile of a
 * windowed count put a third of the stream thread in Caffeine's concurrent bookkeeping, which a cache with one owner
 * does not need: one hash look-up and two list moves per operation now.)
 */
final class CachingBytesStore extends DelegatingBytesStore {
    /** Rough per-entry overhead of a node, so that tiny entries still count. */
    static final int ENTRY_OVERHEAD_BYTES = 64;

    private final long maxBytes;
    private final HashMap<Key, Node> entries = new HashMap<>();
    /** The LRU list: least recently used at the head. */
    private Node lruHead;

    private Node lruTail;
    /** The dirty list, in the order of last update: the oldest update at the head. */
    private Node dirtyHead;

    private Node dirtyTail;
    private int dirtyCount;
    private long bytes;

    private final Forwarder forwarder;

    /** Receives each entry written down: its key, its new value (null: deleted) and the value it replaced. */
    @FunctionalInterface
    interface Forwarder {
        void accept(byte[] key, byte[] newValue, byte[] oldValue);
    }

    CachingBytesStore(BytesStore inner, long maxBytes, Forwarder forwarder) {
        super(inner);
        this.maxBytes = maxBytes;
        this.forwarder = forwarder;
    }

    /** Hash key over the bytes. */
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

    /** A cached value ({@code null}: known absent, or a delete not yet written down) in both lists. */
    private static final class Node {
        final Key key;
        byte[] value;
        int weight;
        boolean dirty;
        Node lruPrev;
        Node lruNext;
        Node dirtyPrev;
        Node dirtyNext;

        Node(Key key, byte[] value) {
            this.key = key;
            this.value = value;
            this.weight = weight(key, value);
        }
    }

    private static int weight(Key key, byte[] value) {
        return key.bytes.length + (value == null ? 0 : value.length) + ENTRY_OVERHEAD_BYTES;
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
        Node node = entries.get(k);
        if (node != null) {
            touch(node);
            return node.value;
        }
        byte[] value = inner.get(key);
        insert(new Node(k, value));
        evictWhileOver();
        return value;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        ensureOpen();
        limits().checkKey(key);
        limits().checkValue(value);
        Key k = new Key(key);
        Node node = entries.get(k);
        if (node == null) {
            node = new Node(k, value);
            insert(node);
        } else {
            bytes -= node.weight;
            node.value = value;
            node.weight = weight(k, value);
            bytes += node.weight;
            touch(node);
        }
        markDirty(node);
        evictWhileOver();
    }

    private void insert(Node node) {
        entries.put(node.key, node);
        bytes += node.weight;
        lruAppend(node);
    }

    /** Moves {@code node} to the most recently used end. */
    private void touch(Node node) {
        if (node != lruTail) {
            lruUnlink(node);
            lruAppend(node);
        }
    }

    /** Puts {@code node} at the end of the dirty list (moving it there if it was dirty already). */
    private void markDirty(Node node) {
        if (node.dirty) {
            if (node == dirtyTail) {
                return;
            }
            dirtyUnlink(node);
        }
        dirtyAppend(node);
    }

    /**
     * Evicts least recently used entries while over the bound, writing dirty ones down first. A write-down that
     * fails leaves its entry cached and dirty, and is thrown.
     */
    private void evictWhileOver() {
        while (bytes > maxBytes && lruHead != null) {
            Node eldest = lruHead;
            if (eldest.dirty) {
                writeDownAndClean(eldest);
                if (eldest.dirty || entries.get(eldest.key) != eldest) {
                    continue; // written again (or dropped) by what the write-down forwarded: look again
                }
            }
            entries.remove(eldest.key);
            lruUnlink(eldest);
            bytes -= eldest.weight;
        }
    }

    /** Writes a dirty node down and takes it off the dirty list; on failure it stays dirty, at the list's end. */
    private void writeDownAndClean(Node node) {
        byte[] value = node.value;
        dirtyUnlink(node);
        try {
            writeDown(node.key.bytes, value);
        } catch (RuntimeException e) {
            if (!node.dirty && entries.get(node.key) == node) {
                dirtyAppend(node);
            }
            throw e;
        }
    }

    private void lruAppend(Node node) {
        node.lruPrev = lruTail;
        node.lruNext = null;
        if (lruTail == null) {
            lruHead = node;
        } else {
            lruTail.lruNext = node;
        }
        lruTail = node;
    }

    private void lruUnlink(Node node) {
        if (node.lruPrev == null) {
            lruHead = node.lruNext;
        } else {
            node.lruPrev.lruNext = node.lruNext;
        }
        if (node.lruNext == null) {
            lruTail = node.lruPrev;
        } else {
            node.lruNext.lruPrev = node.lruPrev;
        }
        node.lruPrev = null;
        node.lruNext = null;
    }

    private void dirtyAppend(Node node) {
        node.dirty = true;
        dirtyCount++;
        node.dirtyPrev = dirtyTail;
        node.dirtyNext = null;
        if (dirtyTail == null) {
            dirtyHead = node;
        } else {
            dirtyTail.dirtyNext = node;
        }
        dirtyTail = node;
    }

    private void dirtyUnlink(Node node) {
        node.dirty = false;
        dirtyCount--;
        if (node.dirtyPrev == null) {
            dirtyHead = node.dirtyNext;
        } else {
            node.dirtyPrev.dirtyNext = node.dirtyNext;
        }
        if (node.dirtyNext == null) {
            dirtyTail = node.dirtyPrev;
        } else {
            node.dirtyNext.dirtyPrev = node.dirtyPrev;
        }
        node.dirtyPrev = null;
        node.dirtyNext = null;
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
        if (range.isEmpty() || dirtyHead == null) {
            return inner.scan(range);
        }
        limits().checkBound(range.from());
        limits().checkBound(range.to());
        TreeMap<byte[], byte[]> sorted = new TreeMap<>(ByteKeys.UNSIGNED);
        for (Node n = dirtyHead; n != null; n = n.dirtyNext) {
            sorted.put(n.key.bytes, n.value == null ? PendingWrites.TOMBSTONE : n.value);
        }
        List<KeyValue<byte[], byte[]>> overlay = new ArrayList<>();
        for (Map.Entry<byte[], byte[]> e : range.of(sorted).entrySet()) {
            overlay.add(new KeyValue<>(e.getKey(), e.getValue()));
        }
        BytesIterator base = inner.scan(range);
        return overlay.isEmpty() ? base : new MergingIterator(overlay, base, range.reverse());
    }

    @Override
    public long approximateNumEntries() {
        ensureOpen();
        return inner.approximateNumEntries() + dirtyCount;
    }

    /**
     * Writes every dirty entry down, in the order of last update. A write-down may hand the forwarder work that writes
     * here again: such an entry goes to the end of the dirty list and is written down in turn.
     */
    @Override
    public void flush() {
        ensureOpen();
        while (dirtyHead != null) {
            writeDownAndClean(dirtyHead);
        }
        evictWhileOver();
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
        if (dirtyHead != null) {
            throw new UncommittedWritesException(name(), dirtyCount);
        }
        clear();
        try {
            return inner.restore(records, expectedTotal, listener);
        } finally {
            clear();
        }
    }

    @Override
    public void close() {
        inner.close();
        clear();
    }

    private void clear() {
        entries.clear();
        lruHead = lruTail = dirtyHead = dirtyTail = null;
        dirtyCount = 0;
        bytes = 0;
    }

    int dirtyEntries() {
        return dirtyCount;
    }
}
