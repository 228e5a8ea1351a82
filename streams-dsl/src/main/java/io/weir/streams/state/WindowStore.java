package io.weir.streams.state;

import io.weir.streams.processor.StateStore;

/**
 * A window store a processor writes, as Kafka Streams' {@code WindowStore}: kept for a retention period, split into
 * time segments that retention drops whole. Used by its task's thread only.
 */
public interface WindowStore<K, V> extends StateStore, ReadOnlyWindowStore<K, V> {

    /**
     * Stores {@code value} for {@code key}'s window starting at {@code windowStartTimestamp}; null deletes it. A put
     * older than the retention period is dropped.
     */
    void put(K key, V value, long windowStartTimestamp);
}
