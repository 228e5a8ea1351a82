package io.weir.state;

import io.weir.state.internals.Stores;

/** Builds and opens a {@link SessionStore}; see {@link SegmentedStoreBuilder} for the options. */
public final class SessionStoreBuilder<K, V> extends SegmentedStoreBuilder<K, V, SessionStoreBuilder<K, V>> {

    SessionStoreBuilder(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        super(name, keySerde, valueSerde);
    }

    /**
     * Opens the store.
     *
     * @throws IllegalStateException if no backend or retention was given, or a flush listener without a cache
     */
    public SessionStore<K, V> build() {
        StoreConfig effective = validate();
        return Stores.openSessionStore(
                name,
                inMemory ? null : directory,
                keySerde,
                valueSerde,
                effective,
                changelog,
                flushListener,
                timeOrSystem(),
                retention.toMillis());
    }
}
