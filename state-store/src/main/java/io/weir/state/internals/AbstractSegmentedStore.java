package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.Serde;
import io.weir.state.StateStore;
import io.weir.state.StoreState;
import io.weir.state.errors.InvalidKeyException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.function.Function;

/**
 * What the typed window and session stores share over their {@link SegmentedBytesStore}: serialization (every
 * argument checked and serialized before anything is touched), the {@link StateStore} calls, and typed iterators.
 * Threading: owner thread, except the read views, which go through the segmented store's thread-safe scans.
 */
abstract class AbstractSegmentedStore<K, V> implements StateStore {
    /** Appended to a key-range's upper bound so that it covers every time suffix of the last key. */
    private static final int MAX_TIME_SUFFIX_BYTES = 2 * Long.BYTES;

    final SegmentedBytesStore segments;
    final Serde<K> keySerde;
    final Serde<V> valueSerde;

    AbstractSegmentedStore(SegmentedBytesStore segments, Serde<K> keySerde, Serde<V> valueSerde) {
        this.segments = segments;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    /** The byte length of the times after the key in every suffix. */
    abstract int timeBytes();

    final byte[] keyBytes(K key) {
        if (key == null) {
            throw new InvalidKeyException(name(), "key is null");
        }
        byte[] bytes = TypedKeyValueStore.serialize(keySerde, key);
        segments.top().limits().checkKey(bytes);
        return bytes;
    }

    final byte[] valueBytes(V value) {
        byte[] bytes = TypedKeyValueStore.serialize(valueSerde, value);
        segments.top().limits().checkValue(bytes);
        return bytes;
    }

    final V value(byte[] bytes) {
        return TypedKeyValueStore.deserialize(valueSerde, bytes);
    }

    /**
     * The key bytes of a stored key {@code [segment id][key][times]}, as scans hand them out (see
     * {@link SegmentedBytesStore.Scan}); times are read from its end by the typed stores.
     */
    final byte[] keyOf(byte[] stored) {
        return Arrays.copyOfRange(stored, Long.BYTES, stored.length - timeBytes());
    }

    final K key(byte[] stored) {
        return TypedKeyValueStore.deserialize(keySerde, keyOf(stored));
    }

    /**
     * Whether a stored key that a one-key scan found holds exactly {@code key}'s bytes (not a longer key that starts
     * with them): the scan's bounds share {@code [segment id][key]}, so its length tells.
     */
    final boolean isKey(byte[] stored, byte[] key) {
        return stored.length == Long.BYTES + key.length + timeBytes();
    }

    /** Whether a stored key's key lies in {@code [from, to]} (null bounds: unbounded). */
    final boolean keyWithin(byte[] stored, byte[] from, byte[] to) {
        byte[] key = keyOf(stored);
        return (from == null || ByteKeys.compare(key, from) >= 0) && (to == null || ByteKeys.compare(key, to) <= 0);
    }

    /** An inclusive suffix bound covering every time suffix of exactly {@code key}: the key then 0xFF bytes. */
    static byte[] afterKey(byte[] key) {
        byte[] bound = Arrays.copyOf(key, key.length + MAX_TIME_SUFFIX_BYTES);
        Arrays.fill(bound, key.length, bound.length, (byte) 0xFF);
        return bound;
    }

    /**
     * An exclusive suffix bound above the suffixes of every key {@code <= keyTo}, or null (unbounded). Keys vary in
     * length, so a shorter key's times can sort after a longer key: "k" + a time starting 0x80 sorts after "kz".
     * Only the first byte is a safe bound (every key at most {@code keyTo} starts with a byte at most its first);
     * the scan's filter drops the keys past {@code keyTo} in between, as Kafka Streams' range filters do.
     */
    static byte[] keyRangeEnd(byte[] keyTo) {
        return keyTo == null ? null : ByteKeys.prefixEnd(new byte[] {keyTo[0]});
    }

    final byte[] boundBytes(K bound) {
        if (bound == null) {
            return null;
        }
        byte[] bytes = TypedKeyValueStore.serialize(keySerde, bound);
        segments.top().limits().checkBound(bytes);
        return bytes;
    }

    static byte[] suffix(byte[] key, long time1, long time2) {
        ByteBuffer b = ByteBuffer.allocate(key.length + 2 * Long.BYTES).put(key);
        SegmentedBytesStore.putTime(b, time1);
        return SegmentedBytesStore.putTime(b, time2).array();
    }

    static <T, R> KeyValueIterator<T, R> typed(BytesIterator it, Function<byte[], T> key, Function<byte[], R> value) {
        return new KeyValueIterator<>() {
            @Override
            public T peekNextKey() {
                return key.apply(it.peekNextKey());
            }

            @Override
            public boolean hasNext() {
                return it.hasNext();
            }

            @Override
            public KeyValue<T, R> next() {
                if (!it.hasNext()) {
                    throw new NoSuchElementException();
                }
                KeyValue<byte[], byte[]> kv = it.next();
                return new KeyValue<>(key.apply(kv.key()), value.apply(kv.value()));
            }

            @Override
            public void close() {
                it.close();
            }
        };
    }

    @Override
    public String name() {
        return segments.top().name();
    }

    @Override
    public StoreState state() {
        return segments.top().state();
    }

    public long observedStreamTime() {
        return segments.observedStreamTime();
    }

    public long expiredRecords() {
        return segments.expiredRecords();
    }

    /** Segments dropped by retention since the store opened (for tests and metrics). */
    long droppedSegments() {
        return segments.droppedSegments();
    }

    @Override
    public void flush() {
        segments.flush();
    }

    @Override
    public void commit(long changelogOffset) {
        if (changelogOffset < 0) {
            throw new IllegalArgumentException(
                    "store '" + name() + "': changelog offset must be >= 0, was " + changelogOffset);
        }
        segments.commit(OptionalLong.of(changelogOffset));
    }

    @Override
    public void commit() {
        segments.commit(OptionalLong.empty());
    }

    @Override
    public OptionalLong committedOffset() {
        return segments.top().committedOffset();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        return segments.restore(records, expectedTotal, listener == null ? RestoreListener.NONE : listener);
    }

    @Override
    public void close() {
        segments.top().close();
    }
}
