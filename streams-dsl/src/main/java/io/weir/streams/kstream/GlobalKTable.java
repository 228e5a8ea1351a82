package io.weir.streams.kstream;

/**
 * A table read in full by every instance of the application, as Kafka Streams' {@code GlobalKTable}: each instance's
 * global stream thread keeps a copy of the whole topic in a local store, so a stream joins it by any key it selects
 * ({@link KStream#join(GlobalKTable, KeyValueMapper, ValueJoiner)}) without repartitioning or co-partitioning. Made by
 * {@code StreamsBuilder.globalTable}.
 */
public interface GlobalKTable<K, V> {

    /**
     * The name of the store to query through interactive queries, or null if the user did not name it (as in Kafka
     * Streams; the store is queryable under its generated name anyway).
     */
    String queryableStoreName();
}
