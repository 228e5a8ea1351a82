package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValue;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.StoreState;
import io.weir.state.errors.UncommittedWritesException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.NavigableMap;
import java.util.OptionalLong;

/**
 * What both backends share: the owner's uncommitted writes ({@link PendingWrites}) overlaid on the committed data,
 * validation before any change, commit, batched restore, and the lifecycle.
 *
 * <p>Invariant: committed data changes only in {@link #applyCommit} and {@link #applyRestoreBatch}, each atomic and
 * carrying its checkpoint; everything else the owner writes lives in {@code pending} until then, so closing or
 * crashing before a commit leaves the committed data and checkpoint of the last commit.
 *
 * <p>Threading: the {@link BytesStore} methods belong to the owner thread (not thread-safe). The backend methods
 * {@link #committedGet}, {@link #committedScan} and {@link #committedCount} are thread-safe and serve both the
 * owner (under the pending overlay) and {@link #readOnlyView()}.
 */
abstract class AbstractBytesStore implements BytesStore {
    protected final String name;
    protected final StoreLifecycle lifecycle;
    protected final RecordLimits limits;
    private final int restoreBatchRecords;
    private final PendingWrites pending = new PendingWrites();
    /** Key ranges deleted since the last commit; the next commit deletes them first, then applies {@code pending}. */
    private final List<ScanRange> deletedRanges = new ArrayList<>();

    private final BytesReadView view = new CommittedView();

    AbstractBytesStore(String name, StoreLifecycle lifecycle, RecordLimits limits, int restoreBatchRecords) {
        this.name = name;
        this.lifecycle = lifecycle;
        this.limits = limits;
        this.restoreBatchRecords = restoreBatchRecords;
    }

    /** @return the committed value or null. Thread-safe. */
    abstract byte[] committedGet(byte[] key);

    /** @return an iterator over one snapshot of committed data, not yet tracked. Thread-safe. */
    abstract BytesIterator committedScan(ScanRange range);

    abstract long committedCount();

    /**
     * Atomically deletes every key in {@code deletedRanges}, then applies {@code writes} (tombstones = deletes) and, if
     * present, the new checkpoint.
     */
    abstract void applyCommit(
            List<ScanRange> deletedRanges, NavigableMap<byte[], byte[]> writes, OptionalLong changelogOffset);

    /** Atomically applies a validated batch and moves the checkpoint to its last record's offset. */
    abstract void applyRestoreBatch(List<ChangelogRecord> batch);

    /** Frees backend resources; called once, when no iterator is open. */
    abstract void release();

    @Override
    public String name() {
        return name;
    }

    @Override
    public StoreState state() {
        return lifecycle.state();
    }

    @Override
    public RecordLimits limits() {
        return limits;
    }

    @Override
    public byte[] get(byte[] key) {
        lifecycle.ensureOpen();
        limits.checkKey(key);
        byte[] p = pending.lookup(key);
        if (p != null) {
            return p == PendingWrites.TOMBSTONE ? null : p;
        }
        return deletedRanges.isEmpty() || !inDeletedRange(key) ? committedGet(key) : null;
    }

    /**
     * Deletes every key in {@code [from, toExclusive)} ({@code from} null: from the first key): at once as the owner
     * sees it, and from the committed data with the next commit, in its atomic step and before its other writes. One
     * range delete, however many keys it covers: how a segmented store drops its expired segments. This layer has no
     * changelog: nothing is logged.
     */
    void deleteRange(byte[] from, byte[] toExclusive) {
        lifecycle.ensureOpen();
        ScanRange range = new ScanRange(from, toExclusive, false, false);
        if (range.isEmpty()) {
            return;
        }
        pending.removeRange(range);
        deletedRanges.add(range);
    }

    private boolean inDeletedRange(byte[] key) {
        for (ScanRange range : deletedRanges) {
            if (!range.belowFrom(key) && !range.aboveTo(key)) {
                return true;
            }
        }
        return false;
    }

    @Override
    public void put(byte[] key, byte[] value) {
        lifecycle.ensureOpen();
        limits.checkKey(key);
        limits.checkValue(value);
        pending.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        limits.checkValue(value);
        byte[] existing = get(key);
        if (existing == null) {
            pending.put(key, value);
        }
        return existing;
    }

    @Override
    public byte[] delete(byte[] key) {
        byte[] existing = get(key);
        pending.put(key, null);
        return existing;
    }

    @Override
    public BytesIterator scan(ScanRange range) {
        lifecycle.ensureOpen();
        limits.checkBound(range.from());
        limits.checkBound(range.to());
        if (range.isEmpty()) {
            return lifecycle.track(BytesIterator.EMPTY);
        }
        List<KeyValue<byte[], byte[]>> overlay = pending.snapshot(range);
        BytesIterator committed = committedScan(range);
        if (!deletedRanges.isEmpty()) {
            committed = new SkippingIterator(committed, this::inDeletedRange);
        }
        return lifecycle.track(
                overlay.isEmpty() ? committed : new MergingIterator(overlay, committed, range.reverse()));
    }

    @Override
    public long approximateNumEntries() {
        lifecycle.ensureOpen();
        long estimate = committedCount() + pending.size() - 2L * pending.tombstones();
        return Math.max(0, estimate);
    }

    @Override
    public void flush() {
        lifecycle.ensureOpen();
    }

    @Override
    public void commit(OptionalLong changelogOffset) {
        lifecycle.ensureOpen();
        if (changelogOffset.isPresent() && changelogOffset.getAsLong() < 0) {
            throw new IllegalArgumentException(
                    "store '" + name + "': changelog offset must be >= 0, was " + changelogOffset.getAsLong());
        }
        if (pending.isEmpty() && deletedRanges.isEmpty() && changelogOffset.isEmpty()) {
            return;
        }
        applyCommit(deletedRanges, pending.entries(), changelogOffset);
        pending.clear();
        deletedRanges.clear();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        lifecycle.ensureOpen();
        if (!pending.isEmpty() || !deletedRanges.isEmpty()) {
            throw new UncommittedWritesException(name, pending.size() + deletedRanges.size());
        }
        long start = lifecycle.time().nanoseconds();
        listener.onRestoreStart(name, expectedTotal);
        long restored = 0;
        long lastOffset = committedOffset().orElse(-1);
        List<ChangelogRecord> batch = new ArrayList<>(Math.min(restoreBatchRecords, 1 << 16));
        RestoreProgress progress = new RestoreProgress(0, expectedTotal, 0, lastOffset);
        while (records.hasNext()) {
            batch.clear();
            while (batch.size() < restoreBatchRecords && records.hasNext()) {
                ChangelogRecord r = records.next();
                limits.checkKey(r.key());
                limits.checkValue(r.value());
                batch.add(r);
            }
            applyRestoreBatch(batch);
            restored += batch.size();
            lastOffset = batch.get(batch.size() - 1).offset();
            progress = new RestoreProgress(restored, expectedTotal, rate(restored, start), lastOffset);
            listener.onBatchRestored(name, progress);
        }
        listener.onRestoreEnd(name, progress);
        return progress;
    }

    private double rate(long restored, long startNanos) {
        long elapsed = lifecycle.time().nanoseconds() - startNanos;
        return elapsed <= 0 ? 0 : restored * 1e9 / elapsed;
    }

    @Override
    public BytesReadView readOnlyView() {
        return view;
    }

    @Override
    public void close() {
        lifecycle.close(() -> {
            pending.clear();
            deletedRanges.clear();
            release();
        });
    }

    private final class CommittedView implements BytesReadView {
        @Override
        public byte[] get(byte[] key) {
            lifecycle.ensureOpen();
            limits.checkKey(key);
            return committedGet(key);
        }

        @Override
        public BytesIterator scan(ScanRange range) {
            lifecycle.ensureOpen();
            limits.checkBound(range.from());
            limits.checkBound(range.to());
            return lifecycle.track(range.isEmpty() ? BytesIterator.EMPTY : committedScan(range));
        }

        @Override
        public long approximateNumEntries() {
            lifecycle.ensureOpen();
            return committedCount();
        }
    }
}
