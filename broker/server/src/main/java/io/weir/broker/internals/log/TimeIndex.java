package io.weir.broker.internals.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Maps timestamps to offsets in a segment: each 12-byte entry holds the largest record timestamp seen so far
 * in the segment (8 bytes) and the offset of the batch that raised it (4 bytes, relative). Entries are added
 * only when that maximum grows, so timestamps in the index strictly increase even when record timestamps do
 * not. A lookup for time {@code t} finds the last entry below {@code t}; every record at or after {@code t}
 * is at or after that entry's next batch, so the reader scans forward from there. Threading as in
 * {@link SegmentIndex}.
 */
final class TimeIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 12;

    private volatile long[] timestamps = new long[0];
    private volatile int[] relativeOffsets = new int[0];

    TimeIndex(Path path, long baseOffset, int maxIndexBytes, FileChannelFactory channels) {
        super(path, baseOffset, ENTRY_SIZE, maxIndexBytes, channels);
    }

    /** Writer only. Ignored unless {@code timestamp} is above the last entry's. */
    void maybeAppend(long timestamp, long offset) {
        int n = entries();
        if (n > 0 && timestamp <= timestamps[n - 1]) {
            return;
        }
        ensureCapacity(n + 1);
        timestamps[n] = timestamp;
        relativeOffsets[n] = (int) (offset - baseOffset);
        appendEntry();
    }

    long lastTimestamp() {
        int n = entries();
        return n == 0 ? -1L : timestamps[n - 1];
    }

    /**
     * An offset from which a forward scan finds the first record with timestamp at or after {@code timestamp}:
     * the offset after the last entry strictly below it, or the base offset.
     */
    long lookup(long timestamp) {
        int n = entries();
        long[] ts = timestamps;
        int slot = floorSearch(n, i -> ts[i], timestamp - 1);
        return slot < 0 ? baseOffset : baseOffset + relativeOffsets[slot];
    }

    /** Drops entries for offsets at or above {@code offset}. Writer only. */
    void truncateToOffset(long offset) throws java.io.IOException {
        int n = entries();
        int keep = 0;
        while (keep < n && baseOffset + relativeOffsets[keep] < offset) {
            keep++;
        }
        truncateEntries(keep);
    }

    @Override
    void ensureCapacity(int count) {
        int capacity = capacityFor(timestamps.length, count - 1);
        if (capacity != timestamps.length) {
            long[] newTs = java.util.Arrays.copyOf(timestamps, capacity);
            int[] newRel = java.util.Arrays.copyOf(relativeOffsets, capacity);
            relativeOffsets = newRel;
            timestamps = newTs;
        }
    }

    @Override
    void readEntry(ByteBuffer buffer, int index) {
        timestamps[index] = buffer.getLong();
        relativeOffsets[index] = buffer.getInt();
    }

    @Override
    void writeEntry(ByteBuffer buffer, int index) {
        buffer.putLong(timestamps[index]);
        buffer.putInt(relativeOffsets[index]);
    }

    @Override
    boolean sanityCheck(long logSize) {
        int n = entries();
        for (int i = 0; i < n; i++) {
            if (relativeOffsets[i] < 0) {
                return false;
            }
            if (i > 0 && (timestamps[i] <= timestamps[i - 1] || relativeOffsets[i] < relativeOffsets[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
