package io.weir.streams.state.internals;

import io.weir.streams.state.QueryableStoreType;
import io.weir.streams.state.QueryableStoreTypes;
import io.weir.streams.state.ReadOnlyKeyValueStore;

/** The read-only view of one task's store that a query of a given {@link QueryableStoreType} gets. */
public final class QueryViews {
    private QueryViews() {}

    /**
     * @return the view, or null if the store cannot be read as {@code type} (a plain store asked for timestamps)
     */
    public static ReadOnlyKeyValueStore<?, ?> view(ManagedStore store, QueryableStoreType<?> type) {
        if (type instanceof QueryableStoreTypes.TimestampedKeyValueType<?, ?>) {
            return store instanceof TimestampedKeyValueStoreFacade<?, ?> table ? table.timestampedQueryView() : null;
        }
        return type.accepts(store) ? store.queryView() : null;
    }
}
