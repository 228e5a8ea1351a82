package io.weir.state.internals;

import io.weir.state.KeyValue;
import java.util.NoSuchElementException;
import java.util.function.Predicate;

/** The entries of another iterator whose keys {@code skip} does not match; closes it when closed. Same threading. */
final class SkippingIterator implements BytesIterator {
    private final BytesIterator inner;
    private final Predicate<byte[]> skip;
    private KeyValue<byte[], byte[]> next;

    SkippingIterator(BytesIterator inner, Predicate<byte[]> skip) {
        this.inner = inner;
        this.skip = skip;
    }

    @Override
    public boolean hasNext() {
        while (next == null && inner.hasNext()) {
            KeyValue<byte[], byte[]> candidate = inner.next();
            if (!skip.test(candidate.key())) {
                next = candidate;
            }
        }
        return next != null;
    }

    @Override
    public KeyValue<byte[], byte[]> next() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        KeyValue<byte[], byte[]> out = next;
        next = null;
        return out;
    }

    @Override
    public byte[] peekNextKey() {
        if (!hasNext()) {
            throw new NoSuchElementException();
        }
        return next.key();
    }

    @Override
    public void close() {
        inner.close();
    }
}
