package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * A sparse index file of fixed-size entries beside a segment, kept whole in memory for lookups and
 * appended to its file in the same order. Entries are only ever added at the end, in increasing order, by
 * the partition's writer thread; a lookup from a reader thread sees a prefix of them, which is always safe
 * because an index only has to point at or before the batch searched for.
 *
 * <p>The file is written lazily: new entries wait in memory until {@link #flush()}, which writes and syncs
 * them, on the writer or (for the active segment) a maintenance thread; appends need no lock, since a flush writes
 * only entries already published by {@code entries}. After an unclean stop the file may therefore be shorter than the log it indexes, or (after a torn
 * write) end in a partial entry; {@link #load()} drops a partial entry and {@code sanityCheck} refuses an
 * index that is out of order or points past its segment, in which case the segment rebuilds it.
 */
abstract class SegmentIndex implements AutoCloseable {
    private static final int INITIAL_CAPACITY = 64;

    final Path path;
    final long baseOffset;
    private final FileChannelFactory channels;
    private final int entrySize;
    private final int maxEntries;
    private FileChannel channel;
    /**
     * Entries [0, flushedEntries) are on disk; the rest only in memory. Guarded by this index's monitor: the writer
     * truncates and flushes, and a maintenance thread may flush the active segment's index meanwhile
     * ({@link Log#flushTail}).
     */
    private int flushedEntries;
    /** Number of valid entries; written by the writer, read by readers (volatile publishes the arrays). */
    private volatile int entries;

    SegmentIndex(Path path, long baseOffset, int entrySize, int maxIndexBytes, FileChannelFactory channels) {
        this.path = path;
        this.channels = channels;
        this.baseOffset = baseOffset;
        this.entrySize = entrySize;
        this.maxEntries = Math.max(1, maxIndexBytes / entrySize);
    }

    /** Opens the file (creating it if absent) and reads its complete entries into memory. */
    final synchronized void load() throws IOException {
        try {
            channel = channels.open(path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
        } catch (IOException e) {
            throw FileWriteException.of(path, "open", e);
        }
        long size = channel.size();
        int count = (int) Math.min(size / entrySize, maxEntries);
        ByteBuffer buffer = ByteBuffer.allocate(count * entrySize);
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read until full; a short file was already accounted for in count
        }
        buffer.flip();
        ensureCapacity(count);
        for (int i = 0; i < count; i++) {
            readEntry(buffer, i);
        }
        if (size != (long) count * entrySize) {
            channel.truncate((long) count * entrySize);
        }
        flushedEntries = count;
        entries = count;
    }

    final int entries() {
        return entries;
    }

    final boolean isFull() {
        return entries >= maxEntries;
    }

    final int maxEntries() {
        return maxEntries;
    }

    /** Adds one entry at the end; the caller has checked ordering. Writer thread only. */
    final void appendEntry() {
        entries = entries + 1;
    }

    /** Grows the subclass's arrays so that entry {@code index} can be stored. */
    final int capacityFor(int currentCapacity, int index) {
        if (index < currentCapacity) {
            return currentCapacity;
        }
        return Math.max(INITIAL_CAPACITY, Math.max(index + 1, currentCapacity * 2));
    }

    /** Forgets every entry from {@code newEntries} on, in memory and on disk. Writer thread only. */
    final synchronized void truncateEntries(int newEntries) throws IOException {
        if (newEntries >= entries) {
            return;
        }
        entries = newEntries;
        if (flushedEntries > newEntries) {
            try {
                channel.truncate((long) newEntries * entrySize);
            } catch (IOException e) {
                throw FileWriteException.of(path, "truncate", e);
            }
            flushedEntries = newEntries;
        }
    }

    /**
     * Writes entries added since the last flush and syncs the file.
     *
     * @throws FileWriteException naming this index's file
     */
    final void flush() throws IOException {
        flush(Integer.MAX_VALUE);
    }

    /**
     * As {@link #flush()}, writing only the first {@code upTo} entries (those counted before another index was
     * flushed: see {@link LogSegment#flushOffsetIndexes}).
     *
     * @throws FileWriteException naming this index's file
     */
    final synchronized void flush(int upTo) throws IOException {
        int count = Math.min(upTo, entries);
        try {
            if (count > flushedEntries) {
                ByteBuffer buffer = ByteBuffer.allocate((count - flushedEntries) * entrySize);
                for (int i = flushedEntries; i < count; i++) {
                    writeEntry(buffer, i);
                }
                buffer.flip();
                long position = (long) flushedEntries * entrySize;
                while (buffer.hasRemaining()) {
                    position += channel.write(buffer, position);
                }
                flushedEntries = count;
            }
            channel.force(true);
        } catch (IOException e) {
            throw FileWriteException.of(path, "write and sync", e);
        }
    }

    /** Drops every entry and empties the file, ready for a rebuild. */
    final synchronized void reset() throws IOException {
        entries = 0;
        flushedEntries = 0;
        channel.truncate(0);
    }

    @Override
    public void close() throws IOException {
        if (channel != null && channel.isOpen()) {
            try {
                flush();
            } finally {
                channel.close();
            }
        }
    }

    /** Closes without writing pending entries: used when the index is about to be deleted or rebuilt. */
    final void closeWithoutFlush() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    final void delete() throws IOException {
        closeWithoutFlush();
        LogFiles.delete(channels, path);
    }

    abstract void ensureCapacity(int count);

    /** Reads entry {@code index} from the buffer's current position into memory. */
    abstract void readEntry(ByteBuffer buffer, int index);

    /** Writes in-memory entry {@code index} at the buffer's current position. */
    abstract void writeEntry(ByteBuffer buffer, int index);

    /** Whether the loaded entries are strictly ordered and point inside a log of {@code logSize} bytes. */
    abstract boolean sanityCheck(long logSize);

    /** Index of the last entry whose key is at most {@code key}, or -1. Keys are sorted ascending. */
    static int floorSearch(int count, java.util.function.IntToLongFunction keyAt, long key) {
        int low = 0;
        int high = count - 1;
        int found = -1;
        while (low <= high) {
            int mid = (low + high) >>> 1;
            if (keyAt.applyAsLong(mid) <= key) {
                found = mid;
                low = mid + 1;
            } else {
                high = mid - 1;
            }
        }
        return found;
    }
}
