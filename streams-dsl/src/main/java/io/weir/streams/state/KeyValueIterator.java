package io.weir.streams.state;

import io.weir.streams.KeyValue;
import java.io.Closeable;
import java.util.Iterator;

/**
 * Entries of a store in key order (the order of their serialized bytes). Holds a snapshot or a cursor: always close
 * it, in a try-with-resources.
 */
public interface KeyValueIterator<K, V> extends Iterator<KeyValue<K, V>>, Closeable {

    /** The key of the next entry, without moving on. */
    K peekNextKey();

    @Override
    void close();
}
