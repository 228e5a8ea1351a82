package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;

/**
 * How a source reads its topics: the key and value serdes (the application's defaults where null) and the
 * source's name. Immutable; each {@code with*} returns a copy.
 */
public final class Consumed<K, V> {
    final Serde<K> keySerde;
    final Serde<V> valueSerde;
    final String name;

    private Consumed(Serde<K> keySerde, Serde<V> valueSerde, String name) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.name = name;
    }

    public static <K, V> Consumed<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Consumed<>(keySerde, valueSerde, null);
    }

    public static <K, V> Consumed<K, V> as(String processorName) {
        Named.validate(processorName);
        return new Consumed<>(null, null, processorName);
    }

    public Consumed<K, V> withKeySerde(Serde<K> serde) {
        return new Consumed<>(serde, valueSerde, name);
    }

    public Consumed<K, V> withValueSerde(Serde<V> serde) {
        return new Consumed<>(keySerde, serde, name);
    }

    public Consumed<K, V> withName(String processorName) {
        Named.validate(processorName);
        return new Consumed<>(keySerde, valueSerde, processorName);
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
