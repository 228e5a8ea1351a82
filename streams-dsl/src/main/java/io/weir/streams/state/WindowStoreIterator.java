package io.weir.streams.state;

/** One key's windows: window start time to value, as Kafka Streams' {@code WindowStoreIterator}. Close it. */
public interface WindowStoreIterator<V> extends KeyValueIterator<Long, V> {}
