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
}
