package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.locks.ReentrantReadWriteLock;

/**
 * The in-memory backend: committed data in a {@link ConcurrentSkipListMap} ordered by unsigned bytes, the
 * checkpoint in a field. Same contract as the LMDB store except durability: closing loses everything.
 *
 * <p>Threading: single-key reads go straight to the concurrent map. A scan copies its range under the read side of
 * {@code publish}, and commits and restore batches are applied under its write side, so a scan never sees part of
 * a commit (the price is an O(range) copy per scan). Commits come from the owner thread only.
 */
final class InMemoryBytesStore extends AbstractBytesStore {
    private final ConcurrentSkipListMap<byte[], byte[]> committed = new ConcurrentSkipListMap<>(ByteKeys.UNSIGNED);
    private final ReentrantReadWriteLock publish = new ReentrantReadWriteLock();
    private volatile OptionalLong checkpoint = OptionalLong.empty();

    InMemoryBytesStore(String name, StoreLifecycle lifecycle, RecordLimits limits, int restoreBatchRecords) {
        super(name, lifecycle, limits, restoreBatchRecords);
    }

    @Override
    byte[] committedGet(byte[] key) {
        return committed.get(key);
    }

    @Override
    BytesIterator committedScan(ScanRange range) {
        List<KeyValue<byte[], byte[]>> copy = new ArrayList<>();
        publish.readLock().lock();
        try {
            for (Map.Entry<byte[], byte[]> e : range.of(committed).entrySet()) {
                copy.add(new KeyValue<>(e.getKey(), e.getValue()));
            }
        } finally {
            publish.readLock().unlock();
        }
        return new ListIterator(copy);
    }

    @Override
    long committedCount() {
        return committed.size();
    }

    @Override
    public OptionalLong committedOffset() {
        lifecycle.ensureOpen();
        return checkpoint;
    }

    @Override
    void applyCommit(List<ScanRange> deletedRanges, NavigableMap<byte[], byte[]> writes, OptionalLong changelogOffset) {
        publish.writeLock().lock();
        try {
            for (ScanRange range : deletedRanges) {
                range.of(committed).clear();
            }
            for (Map.Entry<byte[], byte[]> e : writes.entrySet()) {
                apply(e.getKey(), e.getValue() == PendingWrites.TOMBSTONE ? null : e.getValue());
            }
            if (changelogOffset.isPresent()) {
                checkpoint = changelogOffset;
            }
        } finally {
            publish.writeLock().unlock();
        }
    }

    @Override
    void applyRestoreBatch(List<ChangelogRecord> batch) {
        publish.writeLock().lock();
        try {
            for (ChangelogRecord r : batch) {
                apply(r.key(), r.value());
            }
            checkpoint = OptionalLong.of(batch.get(batch.size() - 1).offset());
        } finally {
            publish.writeLock().unlock();
        }
    }

    private void apply(byte[] key, byte[] value) {
        if (value == null) {
            committed.remove(key);
        } else {
            committed.put(key, value);
        }
    }

    @Override
    void release() {
        committed.clear();
    }
}
