package io.weir.broker.internals.log;

import java.nio.ByteBuffer;
import java.nio.file.Path;

/**
 * Maps offsets to byte positions in a segment's {@code .log} file, one entry every
 * {@code index.interval.bytes} of appended data. An entry is 8 bytes: the offset relative to the segment's
 * base offset (4 bytes, so a segment spans at most {@code Integer.MAX_VALUE} offsets) and the position of
 * the batch holding it (4 bytes, so a segment is at most 2 GiB). A lookup returns the entry at or before the
 * wanted offset; the reader scans forward from there. Threading as in {@link SegmentIndex}.
 */
final class OffsetIndex extends SegmentIndex {
    static final int ENTRY_SIZE = 8;

    private volatile int[] relativeOffsets = new int[0];
    private volatile int[] positions = new int[0];

    OffsetIndex(Path path, long baseOffset, int maxIndexBytes, FileChannelFactory channels) {
        super(path, baseOffset, ENTRY_SIZE, maxIndexBytes, channels);
    }

    /** Records that the batch whose last offset is {@code offset} starts at {@code position}. Writer only. */
    void append(long offset, int position) {
        int n = entries();
        if (n > 0 && offset - baseOffset <= relativeOffsets[n - 1]) {
            return; // never index backwards; a duplicate offset adds nothing
        }
        ensureCapacity(n + 1);
        relativeOffsets[n] = (int) (offset - baseOffset);
        positions[n] = position;
        appendEntry();
    }

    /**
     * The byte position of a batch at or before the one holding {@code offset}: the start of the segment when
     * no entry is at or below it.
     */
    int lookup(long offset) {
        int n = entries();
        int[] rel = relativeOffsets;
        int slot = floorSearch(n, i -> rel[i], offset - baseOffset);
        // An entry is (last offset of a batch, that batch's position). The floor entry's batch ends at or
        // before the wanted offset, so the batch holding it starts there or later: a forward scan finds it.
        return slot < 0 ? 0 : positions[slot];
    }

    /** An entry: the batch whose last offset is {@code offset} starts at byte {@code position}. */
    record Entry(long offset, int position) {}

    /**
     * The entry {@link #lookup} answers from, or null when it answers with the start of the segment. A reader
     * checks the batch it finds there against the entry's offset, since a damaged entry can point anywhere.
     */
    Entry floorEntry(long offset) {
        int n = entries();
        int[] rel = relativeOffsets;
        int[] pos = positions;
        int slot = floorSearch(n, i -> rel[i], offset - baseOffset);
        return slot < 0 ? null : new Entry(baseOffset + rel[slot], pos[slot]);
    }

    /** Drops entries for offsets at or above {@code offset}. Writer only. */
    void truncateToOffset(long offset) throws java.io.IOException {
        int n = entries();
        int[] rel = relativeOffsets;
        int keep = floorSearch(n, i -> rel[i], offset - baseOffset - 1) + 1;
        truncateEntries(keep);
    }

    /** Drops entries pointing at or past {@code position}. Writer only. */
    void truncateToPosition(int position) throws java.io.IOException {
        int n = entries();
        int keep = 0;
        while (keep < n && positions[keep] < position) {
            keep++;
        }
        truncateEntries(keep);
    }

    @Override
    void ensureCapacity(int count) {
        int capacity = capacityFor(relativeOffsets.length, count - 1);
        if (capacity != relativeOffsets.length) {
            int[] newRel = java.util.Arrays.copyOf(relativeOffsets, capacity);
            int[] newPos = java.util.Arrays.copyOf(positions, capacity);
            positions = newPos;
            relativeOffsets = newRel;
        }
    }

    @Override
    void readEntry(ByteBuffer buffer, int index) {
        relativeOffsets[index] = buffer.getInt();
        positions[index] = buffer.getInt();
    }

    @Override
    void writeEntry(ByteBuffer buffer, int index) {
        buffer.putInt(relativeOffsets[index]);
        buffer.putInt(positions[index]);
    }

    @Override
    boolean sanityCheck(long logSize) {
        int n = entries();
        for (int i = 0; i < n; i++) {
            if (relativeOffsets[i] < 0 || positions[i] < 0 || positions[i] >= logSize) {
                return false;
            }
            if (i > 0 && (relativeOffsets[i] <= relativeOffsets[i - 1] || positions[i] <= positions[i - 1])) {
                return false;
            }
        }
        return true;
    }
}
