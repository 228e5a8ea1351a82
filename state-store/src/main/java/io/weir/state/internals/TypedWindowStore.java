package io.weir.state.internals;

import io.weir.state.KeyValueIterator;
import io.weir.state.ReadOnlyWindowStore;
import io.weir.state.Serde;
import io.weir.state.WindowStore;
import io.weir.state.WindowedKey;
import java.nio.ByteBuffer;
import java.util.function.Function;

/**
 * A window store over time segments (see {@link SegmentedBytesStore}). Suffix layout {@code [key][window start:
 * 8][sequence: 4]}, as Kafka Streams' window key schema: one key's windows are adjacent and ordered by start, so a
 * fetch of one key's time range is one scan per segment. The sequence number is 0 unless the store retains
 * duplicates (then each put gets the next one, which keeps equal keys and starts apart: the seam stream-stream joins
 * need). Threading: that of {@link WindowStore}.
 */
final class TypedWindowStore<K, V> extends AbstractSegmentedStore<K, V> implements WindowStore<K, V> {
    private static final int SEQ_BYTES = Integer.BYTES;

    private final long windowSize;
    private final boolean retainDuplicates;
    private final ReadOnlyWindowStore<K, V> view = new View();
    private int sequence;
    /**
     * With duplicates: the newest start of the entries this instance found (opened or restored), read at its first put.
     * Their sequence numbers are unknown (the counter starts over with each instance), so a put at or before it looks
     * for a free number instead of overwriting an older duplicate; later starts cannot meet an older entry.
     */
    private long inheritedUpTo;

    private boolean inheritedKnown;

    TypedWindowStore(
            BytesStore top,
            AbstractBytesStore backend,
            long retention,
            long windowSize,
            boolean retainDuplicates,
            Serde<K> keySerde,
            Serde<V> valueSerde) {
        super(new SegmentedBytesStore(top, backend, retention, TypedWindowStore::startOf), keySerde, valueSerde);
        this.windowSize = windowSize;
        this.retainDuplicates = retainDuplicates;
    }

    @Override
    int timeBytes() {
        return Long.BYTES + SEQ_BYTES;
    }

    /** The window start of a suffix or a stored key (read from the end). */
    static long startOf(byte[] suffix) {
        return SegmentedBytesStore.readTime(suffix, suffix.length - Long.BYTES - SEQ_BYTES);
    }

    private static byte[] suffix(byte[] key, long start, int seq) {
        ByteBuffer b = ByteBuffer.allocate(key.length + Long.BYTES + SEQ_BYTES).put(key);
        return SegmentedBytesStore.putTime(b, start).putInt(seq).array();
    }

    @Override
    public void put(K key, V value, long windowStart) {
        byte[] k = keyBytes(key);
        if (retainDuplicates && value == null) {
            return;
        }
        byte[] v = valueBytes(value);
        if (!retainDuplicates) {
            segments.put(windowStart, suffix(k, windowStart, 0), v);
            return;
        }
        if (!inheritedKnown) {
            inheritedUpTo = segments.observedStreamTime();
            inheritedKnown = true;
        }
        byte[] s = suffix(k, windowStart, ++sequence);
        while (windowStart <= inheritedUpTo && segments.get(windowStart, s) != null) {
            s = suffix(k, windowStart, ++sequence);
        }
        segments.put(windowStart, s, v);
    }

    @Override
    public V fetch(K key, long windowStart) {
        return value(segments.get(windowStart, suffix(keyBytes(key), windowStart, 0)));
    }

    private SegmentedBytesStore.Scan keyScan(byte[] k, long from, long to, boolean reverse) {
        return new SegmentedBytesStore.Scan(
                from, to, suffix(k, from, 0), suffix(k, to, -1), true, s -> isKey(s, k), reverse);
    }

    private SegmentedBytesStore.Scan rangeScan(K keyFrom, K keyTo, long from, long to, boolean reverse) {
        byte[] kf = boundBytes(keyFrom);
        byte[] kt = boundBytes(keyTo);
        return new SegmentedBytesStore.Scan(
                from,
                to,
                kf,
                keyRangeEnd(kt),
                false,
                s -> {
                    long start = startOf(s);
                    return start >= from && start <= to && keyWithin(s, kf, kt);
                },
                reverse);
    }

    private KeyValueIterator<Long, V> starts(BytesIterator it) {
        return typed(it, TypedWindowStore::startOf, this::value);
    }

    private KeyValueIterator<WindowedKey<K>, V> windows(BytesIterator it) {
        return typed(it, this::windowedKey, this::value);
    }

    private WindowedKey<K> windowedKey(byte[] stored) {
        long start = startOf(stored);
        return new WindowedKey<>(key(stored), start, start + windowSize);
    }

    @Override
    public KeyValueIterator<Long, V> fetch(K key, long from, long to) {
        return starts(segments.scan(keyScan(keyBytes(key), from, to, false)));
    }

    @Override
    public KeyValueIterator<Long, V> backwardFetch(K key, long from, long to) {
        return starts(segments.scan(keyScan(keyBytes(key), from, to, true)));
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo, long from, long to) {
        return windows(segments.scan(rangeScan(keyFrom, keyTo, from, to, false)));
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo, long from, long to) {
        return windows(segments.scan(rangeScan(keyFrom, keyTo, from, to, true)));
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetchAll(long from, long to) {
        return fetch(null, null, from, to);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFetchAll(long from, long to) {
        return backwardFetch(null, null, from, to);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> all() {
        return fetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardAll() {
        return backwardFetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
    }

    @Override
    public ReadOnlyWindowStore<K, V> readOnlyView() {
        return view;
    }

    @Override
    public String toString() {
        return "WindowStore[" + name() + ", " + state() + "]";
    }

    /** Committed data, thread-safe: the same scans over the backend's committed view. */
    private final class View implements ReadOnlyWindowStore<K, V> {
        private <T> KeyValueIterator<T, V> read(
                SegmentedBytesStore.Scan scan, Function<BytesIterator, KeyValueIterator<T, V>> typedAs) {
            return typedAs.apply(segments.viewScan(scan));
        }

        @Override
        public V fetch(K key, long windowStart) {
            try (KeyValueIterator<Long, V> it = fetch(key, windowStart, windowStart)) {
                return it.hasNext() ? it.next().value() : null;
            }
        }

        @Override
        public KeyValueIterator<Long, V> fetch(K key, long from, long to) {
            return read(keyScan(keyBytes(key), from, to, false), TypedWindowStore.this::starts);
        }

        @Override
        public KeyValueIterator<Long, V> backwardFetch(K key, long from, long to) {
            return read(keyScan(keyBytes(key), from, to, true), TypedWindowStore.this::starts);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo, long from, long to) {
            return read(rangeScan(keyFrom, keyTo, from, to, false), TypedWindowStore.this::windows);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo, long from, long to) {
            return read(rangeScan(keyFrom, keyTo, from, to, true), TypedWindowStore.this::windows);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> fetchAll(long from, long to) {
            return fetch(null, null, from, to);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFetchAll(long from, long to) {
            return backwardFetch(null, null, from, to);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> all() {
            return fetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardAll() {
            return backwardFetchAll(Long.MIN_VALUE, Long.MAX_VALUE);
        }
    }
}
