package io.weir.common.record;

import java.util.Iterator;

/**
 * An iterator holding resources (a decompression buffer) until closed. {@link #close()} is idempotent and
 * never throws; iterating after close is undefined.
 */
public interface CloseableIterator<T> extends Iterator<T>, AutoCloseable {
    @Override
    void close();
}
