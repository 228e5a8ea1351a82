package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.StoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.GetOp;
import org.lmdbjava.PutFlags;
import org.lmdbjava.Txn;

/**
 * The LMDB backend. Committed data is the {@code data} database of the store directory's environment; each commit
 * is one LMDB write transaction carrying the owner's pending writes (in key order) and the checkpoint, so data and
 * checkpoint are durable together or not at all. Reads of committed data each use one read transaction (one
 * snapshot). Keys are LMDB's default order: unsigned lexicographic bytes. See {@link LmdbEnvironment} for the
 * threading model and map growth.
 */
final class LmdbBytesStore extends AbstractBytesStore {
    private final LmdbEnvironment env;
    private volatile OptionalLong checkpoint;

    private LmdbBytesStore(
            String name, StoreLifecycle lifecycle, RecordLimits limits, int restoreBatchRecords, LmdbEnvironment env) {
        super(name, lifecycle, limits, restoreBatchRecords);
        this.env = env;
        this.checkpoint = env.readCheckpoint();
    }

    static LmdbBytesStore open(String name, Path directory, StoreConfig config, StoreLifecycle lifecycle) {
        LmdbEnvironment env = LmdbEnvironment.open(name, directory, config, lifecycle);
        try {
            RecordLimits limits = new RecordLimits(name, env.maxKeySize(), config.maxValueBytes());
            return new LmdbBytesStore(name, lifecycle, limits, config.restoreBatchRecords(), env);
        } catch (RuntimeException e) {
            env.close();
            throw e;
        }
    }

    /** Current map size in bytes; grows when writes fill the map. */
    long mapSize() {
        return env.mapSize();
    }

    @Override
    byte[] committedGet(byte[] key) {
        long stamp = env.enterRead();
        try {
            LmdbEnvironment.ReaderSlot slot = env.acquireReadTxn();
            try {
                ByteBuffer value = env.data().get(slot.txn, env.keyBuffer(key));
                return value == null ? null : LmdbEnvironment.copy(value);
            } finally {
                env.releaseReadTxn(slot);
            }
        } finally {
            env.exitRead(stamp);
        }
    }

    @Override
    BytesIterator committedScan(ScanRange range) {
        return new LmdbCursorIterator(env, range);
    }

    @Override
    long committedCount() {
        return env.count();
    }

    @Override
    public OptionalLong committedOffset() {
        lifecycle.ensureOpen();
        return checkpoint;
    }

    @Override
    void applyCommit(List<ScanRange> deletedRanges, NavigableMap<byte[], byte[]> writes, OptionalLong changelogOffset) {
        Dbi<ByteBuffer> data = env.data();
        env.write(txn -> {
            for (ScanRange range : deletedRanges) {
                deleteRange(data, txn, range);
            }
            for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
                byte[] value = e.getValue();
                if (value == PendingWrites.TOMBSTONE) {
                    data.delete(txn, env.keyBuffer(e.getKey()));
                } else {
                    data.reserve(txn, env.keyBuffer(e.getKey()), value.length).put(value);
                }
            }
            if (changelogOffset.isPresent()) {
                env.putCheckpoint(txn, changelogOffset.getAsLong());
            }
        });
        if (changelogOffset.isPresent()) {
            checkpoint = changelogOffset;
        }
    }

    /** Deletes the keys of {@code range} (ascending, {@code to} exclusive) with one cursor, in {@code txn}. */
    private void deleteRange(Dbi<ByteBuffer> data, Txn<ByteBuffer> txn, ScanRange range) {
        try (Cursor<ByteBuffer> cursor = data.openCursor(txn)) {
            boolean found = range.from() == null
                    ? cursor.first()
                    : cursor.get(env.keyBuffer(range.from()), GetOp.MDB_SET_RANGE);
            while (found) {
                byte[] key = LmdbEnvironment.copy(cursor.key());
                if (range.aboveTo(key)) {
                    return;
                }
                cursor.delete();
                // Seek past the deleted key rather than rely on how a cursor stands after a delete.
                found = cursor.get(env.keyBuffer(key), GetOp.MDB_SET_RANGE);
            }
        }
    }

    /**
     * Applies the latest record of each key in key order (see {@link RestoreOrder}). When every key of the batch
     * sorts after the last key stored — an empty store, or a changelog of ever-growing keys — the records are
     * appended ({@code MDB_APPEND}: no tree search, pages filled sequentially).
     */
    @Override
    void applyRestoreBatch(List<ChangelogRecord> batch) {
        Dbi<ByteBuffer> data = env.data();
        long last = batch.get(batch.size() - 1).offset();
        int[] order = RestoreOrder.sortedLatest(batch);
        env.write(txn -> {
            boolean append = appendable(txn, batch.get(order[0]).key());
            for (int i : order) {
                ChangelogRecord r = batch.get(i);
                if (r.value() == null) {
                    if (!append) {
                        data.delete(txn, env.keyBuffer(r.key()));
                    }
                } else if (append) {
                    data.reserve(txn, env.keyBuffer(r.key()), r.value().length, PutFlags.MDB_APPEND)
                            .put(r.value());
                } else {
                    data.reserve(txn, env.keyBuffer(r.key()), r.value().length).put(r.value());
                }
            }
            env.putCheckpoint(txn, last);
        });
        checkpoint = OptionalLong.of(last);
    }

    /** Whether {@code firstKey} sorts after every stored key (deletes of such keys have nothing to delete). */
    private boolean appendable(Txn<ByteBuffer> txn, byte[] firstKey) {
        try (Cursor<ByteBuffer> cursor = env.data().openCursor(txn)) {
            return !cursor.last() || ByteKeys.compare(LmdbEnvironment.copy(cursor.key()), firstKey) < 0;
        }
    }

    @Override
    void release() {
        env.close();
    }
}
