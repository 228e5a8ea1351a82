package io.weir.streams.state;

/** The kind of store a query asks for, as Kafka Streams' {@code QueryableStoreType}; see {@link QueryableStoreTypes}. */
public interface QueryableStoreType<T> {

    /** Whether a store instance of the topology can be read as this type. */
    boolean accepts(Object store);
}
