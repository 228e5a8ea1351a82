package io.weir.state.internals;

import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.state.StoreState;
import io.weir.state.errors.StoreClosedException;
import java.util.Iterator;
import java.util.OptionalLong;

/** Base of the store layers: forwards everything to the store below. Same threading as {@link BytesStore}. */
abstract class DelegatingBytesStore implements BytesStore {
    protected final BytesStore inner;
    /** {@code inner.limits()}, fixed for a store's life, kept here: every operation checks against it. */
    private RecordLimits limits;

    DelegatingBytesStore(BytesStore inner) {
        this.inner = inner;
    }

    protected void ensureOpen() {
        StoreState s = inner.state();
        if (s != StoreState.OPEN) {
            throw new StoreClosedException(inner.name(), s);
        }
    }

    @Override
    public String name() {
        return inner.name();
    }

    @Override
    public StoreState state() {
        return inner.state();
    }

    @Override
    public RecordLimits limits() {
        RecordLimits l = limits;
        if (l == null) {
            limits = l = inner.limits();
        }
        return l;
    }

    @Override
    public byte[] get(byte[] key) {
        return inner.get(key);
    }

    @Override
    public void put(byte[] key, byte[] value) {
        inner.put(key, value);
    }

    @Override
    public byte[] putIfAbsent(byte[] key, byte[] value) {
        return inner.putIfAbsent(key, value);
    }

    @Override
    public byte[] delete(byte[] key) {
        return inner.delete(key);
    }

    @Override
    public BytesIterator scan(ScanRange range) {
        return inner.scan(range);
    }

    @Override
    public long approximateNumEntries() {
        return inner.approximateNumEntries();
    }

    @Override
    public void flush() {
        inner.flush();
    }

    @Override
    public void commit(OptionalLong changelogOffset) {
        inner.commit(changelogOffset);
    }

    @Override
    public OptionalLong committedOffset() {
        return inner.committedOffset();
    }

    @Override
    public RestoreProgress restore(Iterator<ChangelogRecord> records, long expectedTotal, RestoreListener listener) {
        return inner.restore(records, expectedTotal, listener);
    }

    @Override
    public BytesReadView readOnlyView() {
        return inner.readOnlyView();
    }

    @Override
    public void close() {
        inner.close();
    }
}
