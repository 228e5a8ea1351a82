package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.function.ToLongFunction;

/**
 * Time segments over a key-value byte stack, the layer beneath window and session stores.
 *
 * <p>Layout: every stored key is {@code [segment id: 8 bytes][suffix]}, where the suffix is the typed store's
 * {@code [key][times...]}, the segment id is {@code floorDiv(segment time, interval)} and the segment time is read
 * from the suffix (a window's start, a session's end). Numbers are big-endian with the sign bit flipped, so byte
 * order is numeric order. A segment is therefore one contiguous key range, and one key's time range within a segment
 * one cursor scan.
 *
 * <p>Retention: the store tracks the newest segment time it has seen ({@code observedStreamTime}); a segment time at
 * or below {@code observedStreamTime - retention} is expired. Expired puts are dropped (and counted), reads never
 * return expired entries, and {@link #commit} first drops the segments wholly expired, as one key-range delete in the
 * backend — below the cache and the changelog, so dropping a segment writes no tombstones (the changelog topic
 * expires old records by its own {@code retention.ms}) and costs one cursor walk, not a write per key. The drop and
 * the commit are one backend transaction.
 *
 * <p>Threading: the owner thread calls everything but {@link #viewScan}, which reads committed data through the
 * backend's thread-safe view; {@code observedStreamTime} is volatile for it.
 */
final class SegmentedBytesStore {
    static final long MIN_SEGMENT_INTERVAL_MS = 60_000L;
    /** Reads a big-endian long at any offset of a byte array: no buffer wrapped per entry on the scan path. */
    private static final VarHandle LONG_BE = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private final BytesStore top;
    private final AbstractBytesStore backend;
    private final long retention;
    private final long interval;
    private final ToLongFunction<byte[]> segmentTimeOf;
    private volatile long observedStreamTime = Long.MIN_VALUE;
    /** Every segment below this one is known to be gone from the backend. */
    private long purgedBelow = Long.MIN_VALUE;

    private long expiredRecords;
    private long droppedSegments;

    /**
     * @param segmentTimeOf reads the segment time from a suffix or a stored key (times are read from the end)
     */
    SegmentedBytesStore(
            BytesStore top, AbstractBytesStore backend, long retention, ToLongFunction<byte[]> segmentTimeOf) {
        if (retention <= 0) {
            throw new IllegalArgumentException(
                    "store '" + top.name() + "': retention must be > 0 ms, was " + retention);
        }
        this.top = top;
        this.backend = backend;
        this.retention = retention;
        this.interval = segmentInterval(retention);
        this.segmentTimeOf = segmentTimeOf;
        recoverStreamTime();
    }

    /** Kafka Streams' default: half the retention, at least a minute. */
    static long segmentInterval(long retention) {
        return Math.max(retention / 2, MIN_SEGMENT_INTERVAL_MS);
    }

    BytesStore top() {
        return top;
    }

    long observedStreamTime() {
        return observedStreamTime;
    }

    long expiredRecords() {
        return expiredRecords;
    }

    long droppedSegments() {
        return droppedSegments;
    }

    long segmentInterval() {
        return interval;
    }

    /** The oldest live segment time, or {@code Long.MAX_VALUE} while nothing was seen. */
    long minLiveTime() {
        long observed = observedStreamTime;
        return observed == Long.MIN_VALUE ? Long.MAX_VALUE : Math.max(Long.MIN_VALUE + 1, observed - retention + 1);
    }

    private boolean expired(long segmentTime) {
        long observed = observedStreamTime;
        return observed != Long.MIN_VALUE && segmentTime < minLiveTime();
    }

    /** @return false if {@code segmentTime} has left the retention period and nothing was written */
    boolean put(long segmentTime, byte[] suffix, byte[] value) {
        if (expired(segmentTime)) {
            expiredRecords++;
            return false;
        }
        byte[] key = storeKey(segmentId(segmentTime), suffix);
        top.put(key, value);
        if (segmentTime > observedStreamTime) {
            observedStreamTime = segmentTime;
        }
        return true;
    }

    byte[] get(long segmentTime, byte[] suffix) {
        return expired(segmentTime) ? null : top.get(storeKey(segmentId(segmentTime), suffix));
    }

    /** A scan of the owner's view (uncommitted writes included); see {@link #scan(Function, Scan)}. */
    BytesIterator scan(Scan scan) {
        return scan(top::scan, scan);
    }

    /** A scan of committed data only; thread-safe. */
    BytesIterator viewScan(Scan scan) {
        return scan(backend.readOnlyView()::scan, scan);
    }

    /**
     * What to read: segments holding segment times {@code [fromTime, toTime]}; within each, suffixes from
     * {@code fromSuffix} (inclusive; null: the segment's first) to {@code toSuffix} (inclusive or not as
     * {@code toInclusive} says; null: the segment's last); kept if {@code filter} accepts the entry's stored key.
     * Entries come out with their stored keys, {@code [segment id][suffix]}, as read: the typed stores read the
     * times from the end and the key after the segment id ({@link AbstractSegmentedStore#keyOf}), so no entry is
     * copied a second time to strip the id.
     */
    record Scan(
            long fromTime,
            long toTime,
            byte[] fromSuffix,
            byte[] toSuffix,
            boolean toInclusive,
            Predicate<byte[]> filter,
            boolean reverse) {}

    private BytesIterator scan(Function<ScanRange, BytesIterator> scanner, Scan scan) {
        long minLive = minLiveTime();
        long observed = observedStreamTime;
        long from = Math.max(scan.fromTime(), minLive);
        long to = Math.min(scan.toTime(), observed);
        if (observed == Long.MIN_VALUE || from > to) {
            return BytesIterator.EMPTY;
        }
        long firstSegment = segmentId(from);
        long lastSegment = segmentId(to);
        Predicate<byte[]> keep = stored -> {
            long t = segmentTimeOf.applyAsLong(stored);
            return t >= minLive && scan.filter().test(stored);
        };
        return new SegmentsIterator(scanner, firstSegment, lastSegment, scan, keep);
    }

    void flush() {
        top.flush();
    }

    /** Flushes, drops the segments that expired, and commits all of it with the checkpoint (if given) in one step. */
    void commit(OptionalLong changelogOffset) {
        top.flush();
        dropExpiredSegments();
        top.commit(changelogOffset);
    }

    RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        try {
            return top.restore(records, expectedTotal, listener);
        } finally {
            purgedBelow = Long.MIN_VALUE; // the changelog may still hold records of segments dropped here before
            recoverStreamTime();
        }
    }

    /**
     * Deletes the segments wholly before the oldest live time with one range delete in the backend, which the next
     * backend commit applies (one cursor walk in LMDB, no per-key pending write). Counts them with one seek per
     * segment: one seek in all when nothing has expired.
     */
    private void dropExpiredSegments() {
        long minLive = minLiveTime();
        if (minLive == Long.MAX_VALUE) {
            return;
        }
        long firstLive = segmentId(minLive);
        if (firstLive <= purgedBelow) {
            return;
        }
        byte[] end = segmentPrefix(firstLive);
        byte[] from = null;
        while (true) {
            try (BytesIterator it = backend.scan(new ScanRange(from, end, false, false))) {
                if (!it.hasNext()) {
                    break;
                }
                long segment = readSegment(it.peekNextKey());
                droppedSegments++;
                from = segmentPrefix(segment + 1);
            }
        }
        if (from != null) {
            backend.deleteRange(null, end);
        }
        purgedBelow = firstLive;
    }

    /** Reads the newest segment time from the backend's last segment (after open or restore). */
    private void recoverStreamTime() {
        byte[] lastKey;
        try (BytesIterator it = backend.scan(ScanRange.closed(null, null, true))) {
            if (!it.hasNext()) {
                return;
            }
            lastKey = it.next().key();
        }
        long segment = readSegment(lastKey);
        long newest = observedStreamTime;
        try (BytesIterator it = backend.scan(ScanRange.prefix(segmentPrefix(segment)))) {
            while (it.hasNext()) {
                newest = Math.max(
                        newest, segmentTimeOf.applyAsLong(suffix(it.next().key())));
            }
        }
        observedStreamTime = newest;
    }

    long segmentId(long segmentTime) {
        return Math.floorDiv(segmentTime, interval);
    }

    static byte[] segmentPrefix(long segment) {
        return ByteBuffer.allocate(Long.BYTES).putLong(segment ^ Long.MIN_VALUE).array();
    }

    static byte[] storeKey(long segment, byte[] suffix) {
        return ByteBuffer.allocate(Long.BYTES + suffix.length)
                .putLong(segment ^ Long.MIN_VALUE)
                .put(suffix)
                .array();
    }

    static long readSegment(byte[] storeKey) {
        return (long) LONG_BE.get(storeKey, 0) ^ Long.MIN_VALUE;
    }

    static byte[] suffix(byte[] storeKey) {
        byte[] s = new byte[storeKey.length - Long.BYTES];
        System.arraycopy(storeKey, Long.BYTES, s, 0, s.length);
        return s;
    }

    /** Writes {@code value} big-endian with the sign bit flipped, so that byte order is numeric order. */
    static ByteBuffer putTime(ByteBuffer buffer, long value) {
        return buffer.putLong(value ^ Long.MIN_VALUE);
    }

    static long readTime(byte[] bytes, int offset) {
        return (long) LONG_BE.get(bytes, offset) ^ Long.MIN_VALUE;
    }

    /**
     * Walks the segments of a scan one after another, opening each segment's scan only when the previous one is
     * used up, so at most one backend iterator (one LMDB read transaction) is open at a time.
     */
    private static final class SegmentsIterator implements BytesIterator {
        private final Function<ScanRange, BytesIterator> scanner;
        private final Scan scan;
        private final Predicate<byte[]> keep;
        private final long last;
        private long next;
        private BytesIterator current;
        // The next kept entry as two arrays rather than a KeyValue, so that the KeyValue built in next() does not
        // escape and the JIT can scalar-replace it once the typed iterator above unpacks it (as LmdbCursorIterator).
        private byte[] peekedKey;
        private byte[] peekedValue;
        private boolean closed;

        SegmentsIterator(
                Function<ScanRange, BytesIterator> scanner, long first, long last, Scan scan, Predicate<byte[]> keep) {
            this.scanner = scanner;
            this.scan = scan;
            this.keep = keep;
            this.last = scan.reverse() ? first : last;
            this.next = scan.reverse() ? last : first;
            open();
        }

        private void open() {
            long segment = next;
            byte[] from = scan.fromSuffix() == null ? segmentPrefix(segment) : storeKey(segment, scan.fromSuffix());
            ScanRange range = scan.toSuffix() == null
                    ? new ScanRange(from, ByteKeys.prefixEnd(segmentPrefix(segment)), false, scan.reverse())
                    : new ScanRange(from, storeKey(segment, scan.toSuffix()), scan.toInclusive(), scan.reverse());
            current = scanner.apply(range);
        }

        /** Moves to the next kept entry; false at the end. */
        private boolean advance() {
            while (peekedKey == null) {
                if (closed) {
                    return false;
                }
                if (current.hasNext()) {
                    KeyValue<byte[], byte[]> kv = current.next();
                    if (keep.test(kv.key())) {
                        peekedKey = kv.key();
                        peekedValue = kv.value();
                    }
                } else if (next == last) {
                    return false;
                } else {
                    current.close();
                    next += scan.reverse() ? -1 : 1;
                    open();
                }
            }
            return true;
        }

        @Override
        public boolean hasNext() {
            return advance();
        }

        @Override
        public KeyValue<byte[], byte[]> next() {
            if (!advance()) {
                throw new NoSuchElementException();
            }
            KeyValue<byte[], byte[]> kv = new KeyValue<>(peekedKey, peekedValue);
            peekedKey = null;
            peekedValue = null;
            return kv;
        }

        @Override
        public byte[] peekNextKey() {
            if (!advance()) {
                throw new NoSuchElementException();
            }
            return peekedKey;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                current.close();
            }
        }
    }
}
