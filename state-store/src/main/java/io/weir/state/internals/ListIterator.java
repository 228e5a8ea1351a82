package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.util.List;
import java.util.NoSuchElementException;

/** Iterates a materialized snapshot; holds no resources. */
final class ListIterator implements BytesIterator {
    private final List<KeyValue<byte[], byte[]>> entries;
    private int next;

    ListIterator(List<KeyValue<byte[], byte[]>> entries) {
        this.entries = entries;
    }

    @Override
    public boolean hasNext() {
        return next < entries.size();
    }

    @Override
    public KeyValue<byte[], byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return entries.get(next++);
    }

    @Override
    public byte[] peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return entries.get(next).key();
    }

    @Override
    public void close() {}
}
