package io.weir.broker.internals.log;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
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
        long tag = hash2 & ~LOW_32;
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
        int slot = find(slots, capacity, h1, hash2 & ~LOW_32);
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

    // ---- MurmurHash3, x64 128-bit variant (Austin Appleby's public-domain algorithm), seed 0 ---------------

    private static final long C1 = 0x87c37b91114253d5L;
    private static final long C2 = 0x4cf5ad432745937fL;
    /** The second half of the last hash computed; confined to the owning thread like the map. */
    private long hash2;

    /** Hashes the key's remaining bytes; returns the first half and leaves the second in {@code hash2}. */
    private long hash1(ByteBuffer key) {
        ByteBuffer b =
                key.order() == ByteOrder.LITTLE_ENDIAN ? key : key.duplicate().order(ByteOrder.LITTLE_ENDIAN);
        int start = b.position();
        int length = b.remaining();
        long h1 = 0;
        long h2 = 0;
        int blocks = length / 16;
        for (int i = 0; i < blocks; i++) {
            long k1 = b.getLong(start + i * 16);
            long k2 = b.getLong(start + i * 16 + 8);
            h1 ^= mixK1(k1);
            h1 = Long.rotateLeft(h1, 27) + h2;
            h1 = h1 * 5 + 0x52dce729;
            h2 ^= mixK2(k2);
            h2 = Long.rotateLeft(h2, 31) + h1;
            h2 = h2 * 5 + 0x38495ab5;
        }
        int tail = start + blocks * 16;
        long k1 = 0;
        long k2 = 0;
        switch (length & 15) {
            case 15:
                k2 ^= (long) (b.get(tail + 14) & 0xff) << 48; // fall through
            case 14:
                k2 ^= (long) (b.get(tail + 13) & 0xff) << 40; // fall through
            case 13:
                k2 ^= (long) (b.get(tail + 12) & 0xff) << 32; // fall through
            case 12:
                k2 ^= (long) (b.get(tail + 11) & 0xff) << 24; // fall through
            case 11:
                k2 ^= (long) (b.get(tail + 10) & 0xff) << 16; // fall through
            case 10:
                k2 ^= (long) (b.get(tail + 9) & 0xff) << 8; // fall through
            case 9:
                k2 ^= b.get(tail + 8) & 0xff;
                h2 ^= mixK2(k2);
                // fall through
            case 8:
                k1 ^= (long) (b.get(tail + 7) & 0xff) << 56; // fall through
            case 7:
                k1 ^= (long) (b.get(tail + 6) & 0xff) << 48; // fall through
            case 6:
                k1 ^= (long) (b.get(tail + 5) & 0xff) << 40; // fall through
            case 5:
                k1 ^= (long) (b.get(tail + 4) & 0xff) << 32; // fall through
            case 4:
                k1 ^= (long) (b.get(tail + 3) & 0xff) << 24; // fall through
            case 3:
                k1 ^= (long) (b.get(tail + 2) & 0xff) << 16; // fall through
            case 2:
                k1 ^= (long) (b.get(tail + 1) & 0xff) << 8; // fall through
            case 1:
                k1 ^= b.get(tail) & 0xff;
                h1 ^= mixK1(k1);
                break;
            default:
                break;
        }
        h1 ^= length;
        h2 ^= length;
        h1 += h2;
        h2 += h1;
        h1 = fmix(h1);
        h2 = fmix(h2);
        h1 += h2;
        h2 += h1;
        hash2 = h2;
        return h1;
    }

    private static long mixK1(long k1) {
        k1 *= C1;
        k1 = Long.rotateLeft(k1, 31);
        return k1 * C2;
    }

    private static long mixK2(long k2) {
        k2 *= C2;
        k2 = Long.rotateLeft(k2, 33);
        return k2 * C1;
    }

    private static long fmix(long k) {
        k ^= k >>> 33;
        k *= 0xff51afd7ed558ccdL;
        k ^= k >>> 33;
        k *= 0xc4ceb53a85e63b53L;
        k ^= k >>> 33;
        return k;
    }
}
