package io.weir.state.internals;

import io.weir.state.KeyValueIterator;
import io.weir.state.ReadOnlySessionStore;
import io.weir.state.Serde;
import io.weir.state.SessionStore;
import io.weir.state.WindowedKey;
import java.util.function.Function;

/**
 * A session store over time segments (see {@link SegmentedBytesStore}), segmented by session end. Suffix layout
 * {@code [key][end: 8][start: 8]}, as Kafka Streams' session key schema: one key's sessions are adjacent and ordered
 * by end, so the sessions a new record may merge with (ending at or after its time minus the gap) are one scan per
 * segment from that end on. Threading: that of {@link SessionStore}.
 */
final class TypedSessionStore<K, V> extends AbstractSegmentedStore<K, V> implements SessionStore<K, V> {
    private final ReadOnlySessionStore<K, V> view = new Reads(true);
    private final ReadOnlySessionStore<K, V> ownerReads = new Reads(false);

    TypedSessionStore(
            BytesStore top, AbstractBytesStore backend, long retention, Serde<K> keySerde, Serde<V> valueSerde) {
        super(new SegmentedBytesStore(top, backend, retention, TypedSessionStore::endOf), keySerde, valueSerde);
    }

    @Override
    int timeBytes() {
        return 2 * Long.BYTES;
    }

    static long endOf(byte[] suffix) {
        return SegmentedBytesStore.readTime(suffix, suffix.length - 2 * Long.BYTES);
    }

    static long startOf(byte[] suffix) {
        return SegmentedBytesStore.readTime(suffix, suffix.length - Long.BYTES);
    }

    private WindowedKey<K> session(byte[] stored) {
        return new WindowedKey<>(key(stored), startOf(stored), endOf(stored));
    }

    @Override
    public void put(WindowedKey<K> session, V aggregate) {
        byte[] k = keyBytes(session.key());
        byte[] v = aggregate == null ? null : valueBytes(aggregate);
        segments.put(session.end(), suffix(k, session.end(), session.start()), v);
    }

    @Override
    public void remove(WindowedKey<K> session) {
        put(session, null);
    }

    @Override
    public V fetchSession(K key, long sessionStartTime, long sessionEndTime) {
        return ownerReads.fetchSession(key, sessionStartTime, sessionEndTime);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
        return ownerReads.findSessions(key, earliestEnd, latestStart);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(K key, long earliestEnd, long latestStart) {
        return ownerReads.backwardFindSessions(key, earliestEnd, latestStart);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> findSessions(K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return ownerReads.findSessions(keyFrom, keyTo, earliestEnd, latestStart);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(
            K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return ownerReads.backwardFindSessions(keyFrom, keyTo, earliestEnd, latestStart);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetch(K key) {
        return ownerReads.fetch(key);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K key) {
        return ownerReads.backwardFetch(key);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo) {
        return ownerReads.fetch(keyFrom, keyTo);
    }

    @Override
    public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo) {
        return ownerReads.backwardFetch(keyFrom, keyTo);
    }

    @Override
    public ReadOnlySessionStore<K, V> readOnlyView() {
        return view;
    }

    @Override
    public String toString() {
        return "SessionStore[" + name() + ", " + state() + "]";
    }

    /** The reads, over the owner's view (uncommitted writes included) or, thread-safe, over committed data. */
    private final class Reads implements ReadOnlySessionStore<K, V> {
        private final boolean committed;
        private final Function<SegmentedBytesStore.Scan, BytesIterator> scanner;

        Reads(boolean committed) {
            this.committed = committed;
            this.scanner = committed ? segments::viewScan : segments::scan;
        }

        private KeyValueIterator<WindowedKey<K>, V> sessions(SegmentedBytesStore.Scan scan) {
            return typed(scanner.apply(scan), TypedSessionStore.this::session, TypedSessionStore.this::value);
        }

        private KeyValueIterator<WindowedKey<K>, V> oneKey(K key, long earliestEnd, long latestStart, boolean reverse) {
            byte[] k = keyBytes(key);
            return sessions(new SegmentedBytesStore.Scan(
                    earliestEnd,
                    Long.MAX_VALUE,
                    suffix(k, earliestEnd, Long.MIN_VALUE),
                    afterKey(k),
                    true,
                    s -> isKey(s, k) && startOf(s) <= latestStart,
                    reverse));
        }

        private KeyValueIterator<WindowedKey<K>, V> keyRange(
                K keyFrom, K keyTo, long earliestEnd, long latestStart, boolean reverse) {
            byte[] kf = boundBytes(keyFrom);
            byte[] kt = boundBytes(keyTo);
            return sessions(new SegmentedBytesStore.Scan(
                    earliestEnd,
                    Long.MAX_VALUE,
                    kf,
                    keyRangeEnd(kt),
                    false,
                    s -> keyWithin(s, kf, kt) && endOf(s) >= earliestEnd && startOf(s) <= latestStart,
                    reverse));
        }

        @Override
        public V fetchSession(K key, long start, long end) {
            byte[] k = keyBytes(key);
            byte[] exact = suffix(k, end, start);
            if (!committed) {
                return value(segments.get(end, exact));
            }
            try (BytesIterator it =
                    scanner.apply(new SegmentedBytesStore.Scan(end, end, exact, exact, true, s -> true, false))) {
                return it.hasNext() ? value(it.next().value()) : null;
            }
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
            return oneKey(key, earliestEnd, latestStart, false);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(K key, long earliestEnd, long latestStart) {
            return oneKey(key, earliestEnd, latestStart, true);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> findSessions(
                K keyFrom, K keyTo, long earliestEnd, long latestStart) {
            return keyRange(keyFrom, keyTo, earliestEnd, latestStart, false);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFindSessions(
                K keyFrom, K keyTo, long earliestEnd, long latestStart) {
            return keyRange(keyFrom, keyTo, earliestEnd, latestStart, true);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> fetch(K key) {
            return oneKey(key, Long.MIN_VALUE, Long.MAX_VALUE, false);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K key) {
            return oneKey(key, Long.MIN_VALUE, Long.MAX_VALUE, true);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> fetch(K keyFrom, K keyTo) {
            return keyRange(keyFrom, keyTo, Long.MIN_VALUE, Long.MAX_VALUE, false);
        }

        @Override
        public KeyValueIterator<WindowedKey<K>, V> backwardFetch(K keyFrom, K keyTo) {
            return keyRange(keyFrom, keyTo, Long.MIN_VALUE, Long.MAX_VALUE, true);
        }
    }
}
