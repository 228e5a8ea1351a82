package io.weir.streams.kstream.internals;

import io.weir.common.record.Header;
import io.weir.streams.KeyValue;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/**
 * The buffer of one suppression in one task, as Kafka Streams' {@code InMemoryTimeOrderedKeyValueChangeBuffer}: per
 * key, the newest update (new and old value, timestamp and headers), the value the key had before it was buffered
 * (the prior value), and its buffer time, which a later update of the key does not move. An in-heap index orders the
 * entries by buffer time, then key bytes.
 *
 * <p>Durability: every entry lives in a key-value store (on LMDB, changelogged unless logging is disabled, no cache),
 * written as it changes, so the buffer commits with the task and restores from its changelog; the index is rebuilt
 * from the store when the processor starts. The store also keeps the stream time of the suppression: each entry
 * records the stream time when it was written, and each eviction writes the stream time under a key of its own, so
 * the newest of those is the stream time of the last record processed before the commit. Store keys are {@code 0x01}
 * then the key bytes; the stream time's key is {@code 0x00}. Used by the task's thread only.
 */
final class SuppressionBuffer {
    private static final byte[] STREAM_TIME_KEY = {0};
    private static final byte ENTRY_PREFIX = 1;
    private static final byte VERSION = 1;

    /** One buffered key. Immutable. */
    record Entry(
            byte[] key,
            long time,
            long recordTimestamp,
            List<Header> headers,
            byte[] priorValue,
            byte[] oldValue,
            byte[] newValue,
            long streamTime) {

        /** Kafka's estimate of the memory an entry holds: buffer time, key, values and record context. */
        long sizeEstimate() {
            long size = 8 + key.length + length(priorValue) + length(newValue) + 8 + 8 + 4;
            if (oldValue != priorValue) {
                size += length(oldValue);
            }
            for (Header h : headers) {
                size += h.key().length() + length(h.value());
            }
            return size;
        }
    }

    private static final Comparator<byte[]> UNSIGNED = Arrays::compareUnsigned;
    private final KeyValueStore<byte[], byte[]> store;
    private final Map<ByteBuffer, Entry> byKey = new HashMap<>();
    private final TreeSet<Entry> byTime =
            new TreeSet<>(Comparator.comparingLong(Entry::time).thenComparing(Entry::key, UNSIGNED));
    private long bytes;
    private long recoveredStreamTime = -1L;

    /** The buffer held by {@code store}, loaded into the index. */
    SuppressionBuffer(KeyValueStore<byte[], byte[]> store) {
        this.store = store;
        try (KeyValueIterator<byte[], byte[]> all = store.all()) {
            while (all.hasNext()) {
                KeyValue<byte[], byte[]> kv = all.next();
                if (Arrays.equals(kv.key(), STREAM_TIME_KEY)) {
                    recoveredStreamTime = Math.max(
                            recoveredStreamTime, ByteBuffer.wrap(kv.value()).getLong(1));
                } else {
                    Entry entry = decode(Arrays.copyOfRange(kv.key(), 1, kv.key().length), kv.value());
                    index(entry);
                    recoveredStreamTime = Math.max(recoveredStreamTime, entry.streamTime());
                }
            }
        }
    }

    /** The stream time when the store's content was written: the newest an entry or an eviction recorded; -1 if none. */
    long recoveredStreamTime() {
        return recoveredStreamTime;
    }

    int numRecords() {
        return byKey.size();
    }

    long bytes() {
        return bytes;
    }

    /** The entry buffered longest (smallest buffer time), or null if the buffer is empty. */
    Entry oldest() {
        return byTime.isEmpty() ? null : byTime.first();
    }

    /**
     * Buffers an update of {@code key}: a key already buffered keeps its buffer time and prior value, a new one takes
     * {@code time} and the update's old value as its prior value.
     */
    void put(byte[] key, long time, long recordTimestamp, List<Header> headers, byte[] old, byte[] value, long now) {
        Entry previous = byKey.get(ByteBuffer.wrap(key));
        Entry entry = previous == null
                ? new Entry(key, time, recordTimestamp, headers, old, old, value, now)
                : new Entry(key, previous.time(), recordTimestamp, headers, previous.priorValue(), old, value, now);
        if (previous != null) {
            unindex(previous);
        }
        index(entry);
        store.put(storeKey(key), encode(entry));
    }

    /** Removes {@code entry}, which is being emitted. */
    void evict(Entry entry) {
        unindex(entry);
        store.delete(storeKey(entry.key()));
    }

    /** Records the stream time at which entries were evicted: called once after the evictions of a record. */
    void recordEvictionTime(long streamTime) {
        store.put(
                STREAM_TIME_KEY,
                ByteBuffer.allocate(9).put(VERSION).putLong(streamTime).array());
    }

    private void index(Entry entry) {
        byKey.put(ByteBuffer.wrap(entry.key()), entry);
        byTime.add(entry);
        bytes += entry.sizeEstimate();
    }

    private void unindex(Entry entry) {
        byKey.remove(ByteBuffer.wrap(entry.key()));
        byTime.remove(entry);
        bytes -= entry.sizeEstimate();
    }

    private static byte[] storeKey(byte[] key) {
        byte[] out = new byte[key.length + 1];
        out[0] = ENTRY_PREFIX;
        System.arraycopy(key, 0, out, 1, key.length);
        return out;
    }

    private static int length(byte[] b) {
        return b == null ? 0 : b.length;
    }

    /**
     * Version, buffer time, record timestamp, stream time, headers (count, then each key and value), prior, old and
     * new value; byte arrays as a 4-byte length (-1: null) and the bytes, big-endian.
     */
    private static byte[] encode(Entry e) {
        List<byte[]> headerKeys = new ArrayList<>();
        int size = 1 + 8 + 8 + 8 + 4;
        for (Header h : e.headers()) {
            byte[] k = h.key().getBytes(StandardCharsets.UTF_8);
            headerKeys.add(k);
            size += 4 + k.length + 4 + length(h.value());
        }
        size += 12 + length(e.priorValue()) + length(e.oldValue()) + length(e.newValue());
        ByteBuffer out = ByteBuffer.allocate(size)
                .put(VERSION)
                .putLong(e.time())
                .putLong(e.recordTimestamp())
                .putLong(e.streamTime())
                .putInt(e.headers().size());
        for (int i = 0; i < e.headers().size(); i++) {
            putBytes(out, headerKeys.get(i));
            putBytes(out, e.headers().get(i).value());
        }
        putBytes(out, e.priorValue());
        putBytes(out, e.oldValue());
        putBytes(out, e.newValue());
        return out.array();
    }

    private static Entry decode(byte[] key, byte[] value) {
        ByteBuffer in = ByteBuffer.wrap(value);
        byte version = in.get();
        if (version != VERSION) {
            throw new IllegalStateException("Suppression buffer entry of version " + version + ", expected " + VERSION);
        }
        long time = in.getLong();
        long recordTimestamp = in.getLong();
        long streamTime = in.getLong();
        int count = in.getInt();
        List<Header> headers = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            headers.add(new Header(new String(getBytes(in), StandardCharsets.UTF_8), getBytes(in)));
        }
        byte[] prior = getBytes(in);
        byte[] old = getBytes(in);
        byte[] now = getBytes(in);
        return new Entry(key, time, recordTimestamp, headers, prior, old, now, streamTime);
    }

    private static void putBytes(ByteBuffer out, byte[] b) {
        if (b == null) {
            out.putInt(-1);
        } else {
            out.putInt(b.length).put(b);
        }
    }

    private static byte[] getBytes(ByteBuffer in) {
        int length = in.getInt();
        if (length < 0) {
            return null;
        }
        byte[] b = new byte[length];
        in.get(b);
        return b;
    }
}
