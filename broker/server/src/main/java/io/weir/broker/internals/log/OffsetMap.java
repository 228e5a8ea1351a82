package io.weir.broker.internals.log;

import io.weir.common.utils.Murmur3;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The log cleaner's key-to-latest-offset map (Kafka's SkimpyOffsetMap), bounded by a memory size.
 *
 * <p>A key is stored as 96 bits of its MurmurHash3-128, never as its bytes, so an entry takes
 * {@value #BYTES_PER_ENTRY} bytes whatever the key's length: two longs, the first 64 hash bits, then 32 more
 * hash bits beside the offset relative to the first offset put since the last {@link #clear()} (plus one, so
 * that 0 marks an empty slot), in one {@code long[]} with open addressing and linear probing. Two keys with
 * the same 96 bits would be taken for one (the older's record would be dropped); with a few million keys per
 * pass that chance is below 2<sup>-50</sup>. Kafka stores 128-bit MD5 hashes and 8-byte offsets (24 bytes);
 * 16 bytes fit a third more keys in the same buffer and miss the caches less, which is most of a look-up's cost.
 *
 * <p>The array starts small and doubles as keys arrive, up to the memory bound, so a small log costs little;
 * {@link #hasRoomFor} tells the cleaner when the bound's load factor, or the 32-bit span of relative offsets,
 * is reached and the pass must stop. Not thread-safe: one map per cleaner thread, reused across passes.
 */
public final class OffsetMap {
    /** Memory of one key in the map: 96 hash bits and a 32-bit offset relative to the pass's base. */
    public static final int BYTES_PER_ENTRY = 16;

    private static final int INITIAL_SLOTS = 1 << 12;
    /** The largest relative offset a slot holds (its low 32 bits store it plus one). */
    private static final long MAX_RELATIVE_OFFSET = 0xFFFF_FFFEL;

    private static final long LOW_32 = 0xFFFF_FFFFL;

    private final int maxSlots;
    private final double loadFactor;
    /** Per slot: hash bits 0-63; then hash bits 64-95 in the high half, relative offset + 1 in the low half. */
    private long[] slots;

    private int capacity;
    private int size;
    /** The first offset put since the last clear, or -1. */
    private long baseOffset = -1L;

    private long latestOffset = -1L;

    /**
     * @param memoryBytes the most memory the map may take
     * @param loadFactor  how full the largest array may get, in (0, 1]
     */
    OffsetMap(long memoryBytes, double loadFactor) {
        long slotsInMemory = memoryBytes / BYTES_PER_ENTRY;
        if (slotsInMemory < 1024) {
            throw new IllegalArgumentException("an offset map needs room for at least 1024 keys ("
                    + 1024 * BYTES_PER_ENTRY + " bytes), got " + memoryBytes + " bytes");
        }
        this.maxSlots = (int) Math.min(slotsInMemory, Integer.MAX_VALUE / 2);
        this.loadFactor = loadFactor;
        this.capacity = Math.min(INITIAL_SLOTS, maxSlots);
        this.slots = new long[capacity * 2];
    }

    /** How many keys the map may hold: the memory bound times the load factor. */
    int maxEntries() {
        return (int) (maxSlots * loadFactor);
    }

    /**
     * Whether {@code more} keys, the last of them at {@code lastOffset}, still fit: within
     * {@link #maxEntries()}, and within 2<sup>32</sup> - 2 offsets of the first offset put.
     */
    boolean hasRoomFor(int more, long lastOffset) {
        return (long) size + more <= maxEntries() && (baseOffset < 0 || lastOffset - baseOffset <= MAX_RELATIVE_OFFSET);
    }

    int size() {
        return size;
    }

    /** The largest offset put since the last {@link #clear()}, -1 if none. */
    long latestOffset() {
        return latestOffset;
    }

    /** Bytes the map's array takes now. */
    long memoryInUse() {
        return (long) slots.length * Long.BYTES;
    }

    /**
     * Records {@code offset} as the latest offset of {@code key} (the bytes from position to limit). Offsets
     * are put in ascending order, as a pass reads them.
     *
     * @throws IllegalStateException if the key does not fit (see {@link #hasRoomFor})
     */
    void put(ByteBuffer key, long offset) {
        if (baseOffset < 0) {
            baseOffset = offset;
        }
        long relative = offset - baseOffset;
        if (relative < 0 || relative > MAX_RELATIVE_OFFSET) {
            throw new IllegalStateException(
                    "offset " + offset + " is outside the map's 32-bit span from " + baseOffset);
        }
        if (size + 1 > capacity * loadFactor && capacity < maxSlots) {
            grow();
        }
        long h1 = hash1(key);
        long tag = hash[1] & ~LOW_32;
        int slot = find(slots, capacity, h1, tag);
        if (slot < 0) {
            throw new IllegalStateException("offset map is full at " + size + " keys; check hasRoomFor first");
        }
        int at = slot * 2;
        if ((slots[at + 1] & LOW_32) == 0) {
            size++;
            slots[at] = h1;
        }
        slots[at + 1] = tag | (relative + 1);
        latestOffset = Math.max(latestOffset, offset);
    }

    /** The latest offset recorded for {@code key}, or -1 if it is not in the map. */
    long get(ByteBuffer key) {
        long h1 = hash1(key);
        int slot = find(slots, capacity, h1, hash[1] & ~LOW_32);
        if (slot < 0) {
            return -1L;
        }
        long stored = slots[slot * 2 + 1] & LOW_32;
        return stored == 0 ? -1L : baseOffset + stored - 1;
    }

    /** Empties the map, keeping its array for the next pass. */
    void clear() {
        Arrays.fill(slots, 0L);
        size = 0;
        baseOffset = -1L;
        latestOffset = -1L;
    }

    /** The slot holding the hash, or the empty slot where it would go; -1 if every slot holds another key. */
    private static int find(long[] table, int tableCapacity, long h1, long tag) {
        int slot = (int) Long.remainderUnsigned(h1 ^ (tag >>> 7), tableCapacity);
        for (int probe = 0; probe < tableCapacity; probe++) {
            int at = slot * 2;
            long second = table[at + 1];
            if ((second & LOW_32) == 0 || (table[at] == h1 && (second & ~LOW_32) == tag)) {
                return slot;
            }
            slot = slot + 1 == tableCapacity ? 0 : slot + 1;
        }
        return -1;
    }

    private void grow() {
        int newCapacity = (int) Math.min((long) capacity * 2, maxSlots);
        long[] bigger = new long[newCapacity * 2];
        for (int at = 0; at < slots.length; at += 2) {
            if ((slots[at + 1] & LOW_32) != 0) {
                int to = find(bigger, newCapacity, slots[at], slots[at + 1] & ~LOW_32) * 2;
                bigger[to] = slots[at];
                bigger[to + 1] = slots[at + 1];
            }
        }
        slots = bigger;
        capacity = newCapacity;
    }

    /** The halves of the last key's MurmurHash3-128 (seed 0); confined to the owning thread like the map. */
    private final long[] hash = new long[2];

    /** Hashes the key's remaining bytes; returns the first half and leaves the second in {@code hash[1]}. */
    private long hash1(ByteBuffer key) {
        Murmur3.hash128(key, 0, hash);
        return hash[0];
    }
}
