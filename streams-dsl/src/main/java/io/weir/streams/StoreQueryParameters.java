package io.weir.streams;

import io.weir.streams.state.QueryableStoreType;
import java.util.Objects;

/**
 * Which store an interactive query reads, as Kafka Streams' {@code StoreQueryParameters}: its name, its type, and
 * optionally one partition only.
 */
public final class StoreQueryParameters<T> {
    private final String storeName;
    private final QueryableStoreType<T> queryableStoreType;
    private final Integer partition;

    private StoreQueryParameters(String storeName, QueryableStoreType<T> queryableStoreType, Integer partition) {
        this.storeName = Objects.requireNonNull(storeName, "storeName");
        this.queryableStoreType = Objects.requireNonNull(queryableStoreType, "queryableStoreType");
        this.partition = partition;
    }

    public static <T> StoreQueryParameters<T> fromNameAndType(
            String storeName, QueryableStoreType<T> queryableStoreType) {
        return new StoreQueryParameters<>(storeName, queryableStoreType, null);
    }

    /** Reads only the given partition's instance of the store. */
    public StoreQueryParameters<T> withPartition(Integer partition) {
        return new StoreQueryParameters<>(storeName, queryableStoreType, partition);
    }

    public String storeName() {
        return storeName;
    }

    public QueryableStoreType<T> queryableStoreType() {
        return queryableStoreType;
    }

    /** The one partition to read, or null for every local partition. */
    public Integer partition() {
        return partition;
    }
}
