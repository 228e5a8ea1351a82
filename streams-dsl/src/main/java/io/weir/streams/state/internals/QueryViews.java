package io.weir.streams.state.internals;

import io.weir.streams.state.QueryableStoreType;
import io.weir.streams.state.QueryableStoreTypes;
import java.util.List;
import java.util.function.Supplier;

/** The read-only view of one task's store that a query of a given {@link QueryableStoreType} gets. */
public final class QueryViews {
    private QueryViews() {}

    /**
     * @return the view, or null if the store cannot be read as {@code type} (a plain store asked for timestamps)
     */
    public static Object view(ManagedStore store, QueryableStoreType<?> type) {
        if (type instanceof QueryableStoreTypes.TimestampedKeyValueType<?, ?>) {
            return store instanceof TimestampedKeyValueStoreFacade<?, ?> table ? table.timestampedQueryView() : null;
        }
        return type.accepts(store) ? store.queryView() : null;
    }

    /** The view over every partition's instance, of the store type {@code type} asks for. */
    @SuppressWarnings({"unchecked", "rawtypes"})
    public static Object composite(String name, QueryableStoreType<?> type, Supplier<List<Object>> views) {
        if (type instanceof QueryableStoreTypes.WindowType<?, ?>) {
            return new CompositeReadOnlyWindowStore(name, (Supplier) views);
        }
        if (type instanceof QueryableStoreTypes.SessionType<?, ?>) {
            return new CompositeReadOnlySessionStore(name, (Supplier) views);
        }
        return new CompositeReadOnlyStore(name, (Supplier) views);
    }
}
