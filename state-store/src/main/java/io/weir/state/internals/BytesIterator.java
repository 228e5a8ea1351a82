package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.util.Iterator;

/** An iterator over serialized entries; see {@link io.weir.state.KeyValueIterator} for the contract. */
interface BytesIterator extends Iterator<KeyValue<byte[], byte[]>>, AutoCloseable {
    byte[] peekNextKey();

    @Override
    void close();

    BytesIterator EMPTY = new BytesIterator() {
        @Override
        public byte[] peekNextKey() {
            throw new java.util.NoSuchElementException();
        }

        @Override
        public void close() {}

        @Override
        public boolean hasNext() {
            return false;
        }

        @Override
        public KeyValue<byte[], byte[]> next() {
            throw new java.util.NoSuchElementException();
        }
    };
}
