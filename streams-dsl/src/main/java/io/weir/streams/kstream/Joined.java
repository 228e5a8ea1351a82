package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;

/**
 * How a stream-table join repartitions the stream when its key changed: the serdes of the key, the stream's value
 * and the table's value, and the name of the join (which names the repartition topic). Immutable.
 */
public final class Joined<K, V, VO> {
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Serde<VO> otherValueSerde;
    private final String name;

    private Joined(Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde, String name) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.otherValueSerde = otherValueSerde;
        this.name = name;
    }

    public static <K, V, VO> Joined<K, V, VO> with(Serde<K> keySerde, Serde<V> valueSerde, Serde<VO> otherValueSerde) {
        return new Joined<>(keySerde, valueSerde, otherValueSerde, null);
    }

    public static <K, V, VO> Joined<K, V, VO> as(String name) {
        Named.validate(name);
        return new Joined<>(null, null, null, name);
    }

    public Joined<K, V, VO> withName(String name) {
        Named.validate(name);
        return new Joined<>(keySerde, valueSerde, otherValueSerde, name);
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    public Serde<VO> otherValueSerde() {
        return otherValueSerde;
    }

    public String name() {
        return name;
    }
}
