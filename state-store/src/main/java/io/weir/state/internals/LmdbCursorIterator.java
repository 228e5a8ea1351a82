package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.nio.ByteBuffer;
import java.util.NoSuchElementException;
import org.lmdbjava.Cursor;
import org.lmdbjava.GetOp;

/**
 * Walks one LMDB read transaction — one snapshot — with a cursor, forward or backward within a {@link ScanRange},
 * copying each entry out of the map as it goes (a copy stays valid after the transaction ends or the map grows).
 * Holds a gate read stamp from construction to {@link #close()}. One thread at a time; close may come from any
 * thread (the transaction is {@code MDB_NOTLS}).
 */
final class LmdbCursorIterator implements BytesIterator {
    private final LmdbEnvironment env;
    private final ScanRange range;
    private final long stamp;
    private final LmdbEnvironment.ReaderSlot slot;
    private final Cursor<ByteBuffer> cursor;
    // The next entry, held as two arrays rather than a KeyValue so that the KeyValue built in next() does not
    // escape and can be scalar-replaced by the JIT once a caller unpacks it (one allocation less per entry).
    private byte[] nextKey;
    private byte[] nextValue;
    private boolean closed;

    LmdbCursorIterator(LmdbEnvironment env, ScanRange range) {
        this.env = env;
        this.range = range;
        this.stamp = env.enterRead();
        LmdbEnvironment.ReaderSlot s = null;
        Cursor<ByteBuffer> c = null;
        try {
            s = env.acquireReadTxn();
            c = env.data().openCursor(s.txn);
        } catch (RuntimeException e) {
            if (s != null) {
                env.releaseReadTxn(s);
            }
            env.exitRead(stamp);
            throw e;
        }
        this.slot = s;
        this.cursor = c;
        load(position());
    }

    private boolean position() {
        if (!range.reverse()) {
            return range.from() == null ? cursor.first() : cursor.get(env.keyBuffer(range.from()), GetOp.MDB_SET_RANGE);
        }
        if (range.to() == null) {
            return cursor.last();
        }
        if (!cursor.get(env.keyBuffer(range.to()), GetOp.MDB_SET_RANGE)) {
            return cursor.last();
        }
        // At the first key >= to; step back once if it lies past the upper bound.
        return !range.aboveTo(LmdbEnvironment.copy(cursor.key())) || cursor.prev();
    }

    private void load(boolean found) {
        nextKey = null;
        nextValue = null;
        if (!found) {
            return;
        }
        byte[] key = LmdbEnvironment.copy(cursor.key());
        if (range.reverse() ? range.belowFrom(key) : range.aboveTo(key)) {
            return;
        }
        nextKey = key;
        nextValue = LmdbEnvironment.copy(cursor.val());
    }

    @Override
    public boolean hasNext() {
        return nextKey != null;
    }

    @Override
    public KeyValue<byte[], byte[]> next() {
        if (nextKey == null) {
            throw new NoSuchElementException();
        }
        KeyValue<byte[], byte[]> result = new KeyValue<>(nextKey, nextValue);
        load(range.reverse() ? cursor.prev() : cursor.next());
        return result;
    }

    @Override
    public byte[] peekNextKey() {
        if (nextKey == null) {
            throw new NoSuchElementException();
        }
        return nextKey;
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            cursor.close();
            env.releaseReadTxn(slot);
        } finally {
            env.exitRead(stamp);
        }
    }
}
