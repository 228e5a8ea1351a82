package io.weir.state;

/** Entry point for building window and session stores. */
public final class WindowStores {
    private WindowStores() {}

    /** A builder for a window store named {@code name} (the name appears in every error it reports). */
    public static <K, V> WindowStoreBuilder<K, V> windowStoreBuilder(
            String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new WindowStoreBuilder<>(name, keySerde, valueSerde);
    }

    /** A builder for a session store named {@code name}. */
    public static <K, V> SessionStoreBuilder<K, V> sessionStoreBuilder(
            String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new SessionStoreBuilder<>(name, keySerde, valueSerde);
    }
}
