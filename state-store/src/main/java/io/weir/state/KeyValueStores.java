package io.weir.state;

/** Entry point for building key-value stores. */
public final class KeyValueStores {
    private KeyValueStores() {}

    /** A builder for a store named {@code name} (the name appears in every error it reports). */
    public static <K, V> KeyValueStoreBuilder<K, V> builder(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        return new KeyValueStoreBuilder<>(name, keySerde, valueSerde);
    }
}
