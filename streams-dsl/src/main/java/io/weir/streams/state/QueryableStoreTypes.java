package io.weir.streams.state;

/** The store types interactive queries can ask for, as Kafka Streams' {@code QueryableStoreTypes}. */
public final class QueryableStoreTypes {
    private QueryableStoreTypes() {}

    /**
     * A key-value store read as {@link ReadOnlyKeyValueStore}: a table's store gives its values without their
     * timestamps.
     */
    public static <K, V> QueryableStoreType<ReadOnlyKeyValueStore<K, V>> keyValueStore() {
        return new KeyValueType<>();
    }

    /** A table's store read with the timestamp of each value. */
    public static <K, V> QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> timestampedKeyValueStore() {
        return new TimestampedKeyValueType<>();
    }

    /** The key-value type; package-visible so the runtime can tell the two apart. */
    public static final class KeyValueType<K, V> implements QueryableStoreType<ReadOnlyKeyValueStore<K, V>> {
        private KeyValueType() {}

        @Override
        public boolean accepts(Object store) {
            return store instanceof KeyValueStore<?, ?>;
        }
    }

    /** The timestamped key-value type. */
    public static final class TimestampedKeyValueType<K, V>
            implements QueryableStoreType<ReadOnlyKeyValueStore<K, ValueAndTimestamp<V>>> {
        private TimestampedKeyValueType() {}

        @Override
        public boolean accepts(Object store) {
            return store instanceof TimestampedKeyValueStore<?, ?>;
        }
    }

    /** A window store read as {@link ReadOnlyWindowStore}: a windowed aggregation's values without timestamps. */
    public static <K, V> QueryableStoreType<ReadOnlyWindowStore<K, V>> windowStore() {
        return new WindowType<>();
    }

    /** A session store read as {@link ReadOnlySessionStore}. */
    public static <K, V> QueryableStoreType<ReadOnlySessionStore<K, V>> sessionStore() {
        return new SessionType<>();
    }

    /** The window type. */
    public static final class WindowType<K, V> implements QueryableStoreType<ReadOnlyWindowStore<K, V>> {
        private WindowType() {}

        @Override
        public boolean accepts(Object store) {
            return store instanceof WindowStore<?, ?>;
        }
    }

    /** The session type. */
    public static final class SessionType<K, V> implements QueryableStoreType<ReadOnlySessionStore<K, V>> {
        private SessionType() {}

        @Override
        public boolean accepts(Object store) {
            return store instanceof SessionStore<?, ?>;
        }
    }
}
