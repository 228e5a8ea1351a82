package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;

/**
 * How a sink writes: the key and value serdes (the stream's, else the application's defaults, where null) and the
 * sink's name. Immutable; each {@code with*} returns a copy.
 */
public final class Produced<K, V> {
    final Serde<K> keySerde;
    final Serde<V> valueSerde;
    final String name;

    private Produced(Serde<K> keySerde, Serde<V> valueSerde, String name) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.name = name;
    }

    public static <K, V> Produced<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Produced<>(keySerde, valueSerde, null);
    }

    public static <K, V> Produced<K, V> keySerde(Serde<K> keySerde) {
        return new Produced<>(keySerde, null, null);
    }

    public static <K, V> Produced<K, V> valueSerde(Serde<V> valueSerde) {
        return new Produced<>(null, valueSerde, null);
    }

    public static <K, V> Produced<K, V> as(String processorName) {
        Named.validate(processorName);
        return new Produced<>(null, null, processorName);
    }

    public Produced<K, V> withKeySerde(Serde<K> serde) {
        return new Produced<>(serde, valueSerde, name);
    }

    public Produced<K, V> withValueSerde(Serde<V> serde) {
        return new Produced<>(keySerde, serde, name);
    }

    public Produced<K, V> withName(String processorName) {
        Named.validate(processorName);
        return new Produced<>(keySerde, valueSerde, processorName);
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    public String name() {
        return name;
    }
}
