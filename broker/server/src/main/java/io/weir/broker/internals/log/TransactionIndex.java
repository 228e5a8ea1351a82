package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The aborted transactions whose ABORT marker lies in one segment, in marker order: the {@code .txnindex}
 * file beside the segment, in Kafka's layout so the files stay interchangeable. Each entry is 34 bytes,
 * big-endian:
 * <pre>
 *   int16 version           0
 *   int64 producerId
 *   int64 firstOffset       the transaction's first batch on this partition
 *   int64 lastOffset        its ABORT marker
 *   int64 lastStableOffset  the partition's first unstable offset right after the marker
 * </pre>
 * Aborts are rare, so the entries are also kept whole in memory, and the file is created only when the
 * first one is appended.
 *
 * <p><b>Durability.</b> An entry is written to the file as it is appended (so a process crash keeps it) and
 * synced by {@link #flush()}, which the segment's flush and roll call. After a crash the log rebuilds the
 * entries of the segments it replays: it first {@link #truncateTo truncates} them, then appends again what
 * the replayed markers abort. A torn last entry is dropped on {@link #load}.
 *
 * <p><b>Threading.</b> The partition's writer, under the log's lock, appends, truncates, flushes and closes.
 * Readers call {@link #collect} from any thread: it reads the published immutable list.
 */
final class TransactionIndex implements AutoCloseable {
    static final int ENTRY_SIZE = 2 + 8 + 8 + 8 + 8;
    private static final short VERSION = 0;
    private static final Logger LOG = LoggerFactory.getLogger(TransactionIndex.class);

    final Path path;
    private final FileChannelFactory channels;
    /** Null until the first entry is appended to a segment that had no file. */
    private FileChannel channel;

    private volatile List<AbortedTxn> entries = List.of();

    TransactionIndex(Path path, FileChannelFactory channels) {
        this.path = path;
        this.channels = channels;
    }

    /**
     * Reads the file if there is one. Entries end at the first partial or invalid one, which a crash in the
     * middle of a write or bit rot left; the file is cut there (and the cut logged) so appends continue
     * after the last good entry.
     */
    void load() throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        channel = channels.open(path, StandardOpenOption.READ, StandardOpenOption.WRITE);
        long size = channel.size();
        ByteBuffer buffer = ByteBuffer.allocate((int) Math.min(size, Integer.MAX_VALUE));
        while (buffer.hasRemaining() && channel.read(buffer, buffer.position()) >= 0) {
            // read the whole file; it is small
        }
        buffer.flip();
        List<AbortedTxn> loaded = new ArrayList<>();
        String problem = null;
        while (buffer.remaining() >= ENTRY_SIZE) {
            short version = buffer.getShort();
            long producerId = buffer.getLong();
            long first = buffer.getLong();
            long last = buffer.getLong();
            long lastStable = buffer.getLong();
            if (version != VERSION) {
                problem = "entry " + loaded.size() + " has version " + version + ", only " + VERSION + " is known";
                break;
            }
            try {
                loaded.add(new AbortedTxn(producerId, first, last, lastStable));
            } catch (IllegalArgumentException e) {
                problem = "entry " + loaded.size() + " is invalid: " + e.getMessage();
                break;
            }
        }
        long valid = (long) loaded.size() * ENTRY_SIZE;
        if (valid != size) {
            if (problem == null) {
                problem = "it ends in a partial entry of " + (size - valid) + " bytes";
            }
            LOG.warn("Cutting transaction index " + path + " to its first " + loaded.size() + " entries: " + problem);
            channel.truncate(valid);
        }
        entries = List.copyOf(loaded);
    }

    /** Appends an entry; its marker must follow every marker already indexed. Writer only. */
    void append(AbortedTxn txn) throws IOException {
        List<AbortedTxn> current = entries;
        if (!current.isEmpty()
                && txn.lastOffset() <= current.get(current.size() - 1).lastOffset()) {
            throw new IllegalArgumentException("aborted transaction " + txn + " does not follow "
                    + current.get(current.size() - 1) + " in " + path);
        }
        ByteBuffer buffer = ByteBuffer.allocate(ENTRY_SIZE)
                .putShort(VERSION)
                .putLong(txn.producerId())
                .putLong(txn.firstOffset())
                .putLong(txn.lastOffset())
                .putLong(txn.lastStableOffset())
                .flip();
        long position = (long) current.size() * ENTRY_SIZE;
        try {
            if (channel == null) {
                channel = channels.open(
                        path, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
            }
            while (buffer.hasRemaining()) {
                position += channel.write(buffer, position);
            }
        } catch (IOException e) {
            throw FileWriteException.of(path, "append to", e);
        }
        List<AbortedTxn> grown = new ArrayList<>(current.size() + 1);
        grown.addAll(current);
        grown.add(txn);
        entries = List.copyOf(grown);
    }

    /** Forgets the entries whose marker is at or after {@code offset}, in memory and on disk. Writer only. */
    void truncateTo(long offset) throws IOException {
        List<AbortedTxn> current = entries;
        int keep = 0;
        while (keep < current.size() && current.get(keep).lastOffset() < offset) {
            keep++;
        }
        if (keep == current.size()) {
            return;
        }
        entries = List.copyOf(current.subList(0, keep));
        try {
            channel.truncate((long) keep * ENTRY_SIZE);
        } catch (IOException e) {
            throw FileWriteException.of(path, "truncate", e);
        }
    }

    /** What {@link #collect} found, and whether no later segment can add to it. */
    record SearchResult(List<AbortedTxn> aborted, boolean complete) {}

    /**
     * The aborted transactions that overlap {@code [fetchOffset, upperBoundOffset)}: their marker at or after
     * the fetch offset and their first batch below the bound (Kafka's collectAbortedTxns). The search is
     * complete once an entry's last stable offset reaches the bound: every transaction aborted after it
     * started at or above that offset. Any thread.
     */
    SearchResult collect(long fetchOffset, long upperBoundOffset) {
        List<AbortedTxn> found = new ArrayList<>();
        for (AbortedTxn txn : entries) {
            if (txn.lastOffset() >= fetchOffset && txn.firstOffset() < upperBoundOffset) {
                found.add(txn);
            }
            if (txn.lastStableOffset() >= upperBoundOffset) {
                return new SearchResult(found, true);
            }
        }
        return new SearchResult(found, false);
    }

    List<AbortedTxn> entries() {
        return entries;
    }

    /** Syncs the file, if there is one. */
    void flush() throws IOException {
        if (channel != null) {
            try {
                channel.force(true);
            } catch (IOException e) {
                throw FileWriteException.of(path, "sync", e);
            }
        }
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

    /** Closes without syncing, as a crash would leave it, or before the file is deleted. */
    void closeWithoutFlush() throws IOException {
        if (channel != null) {
            channel.close();
        }
    }

    void delete() throws IOException {
        closeWithoutFlush();
        channel = null; // a flush racing the deletion has nothing left to sync
        LogFiles.delete(channels, path);
    }
}
