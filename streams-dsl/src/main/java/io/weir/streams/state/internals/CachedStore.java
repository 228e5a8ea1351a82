package io.weir.streams.state.internals;

import io.weir.state.FlushListener;

/**
 * A store whose record cache can hand its flushed entries to the processor that writes it, so that the processor
 * forwards one update per key per flush instead of one per record, as Kafka Streams' caching stores do.
 */
public interface CachedStore<K, V> {

    /**
     * Registers the listener of the entries the cache writes down (at a commit, or when it evicts a dirty entry).
     *
     * @return false if the store has no cache: the processor must forward each update itself
     */
    boolean setFlushListener(FlushListener<K, V> listener);
}
