package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;

/**
 * How {@link KStream#repartition(Repartitioned)} writes its topic, as Kafka Streams' {@code Repartitioned}: the name
 * that makes it {@code <application.id>-<name>-repartition}, the serdes, and its partition count (by default that of
 * the topics the stream comes from). Immutable.
 */
public final class Repartitioned<K, V> {
    private final String name;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final Integer numberOfPartitions;

    private Repartitioned(String name, Serde<K> keySerde, Serde<V> valueSerde, Integer numberOfPartitions) {
        this.name = name;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.numberOfPartitions = numberOfPartitions;
    }

    public static <K, V> Repartitioned<K, V> as(String name) {
        Named.validate(name);
        return new Repartitioned<>(name, null, null, null);
    }

    public static <K, V> Repartitioned<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Repartitioned<>(null, keySerde, valueSerde, null);
    }

    public static <K, V> Repartitioned<K, V> numberOfPartitions(int numberOfPartitions) {
        return new Repartitioned<K, V>(null, null, null, null).withNumberOfPartitions(numberOfPartitions);
    }

    public Repartitioned<K, V> withName(String name) {
        Named.validate(name);
        return new Repartitioned<>(name, keySerde, valueSerde, numberOfPartitions);
    }

    public Repartitioned<K, V> withKeySerde(Serde<K> keySerde) {
        return new Repartitioned<>(name, keySerde, valueSerde, numberOfPartitions);
    }

    public Repartitioned<K, V> withValueSerde(Serde<V> valueSerde) {
        return new Repartitioned<>(name, keySerde, valueSerde, numberOfPartitions);
    }

    /** @throws IllegalArgumentException if not positive */
    public Repartitioned<K, V> withNumberOfPartitions(int numberOfPartitions) {
        if (numberOfPartitions < 1) {
            throw new IllegalArgumentException(
                    "A repartition topic needs at least 1 partition, not " + numberOfPartitions);
        }
        return new Repartitioned<>(name, keySerde, valueSerde, numberOfPartitions);
    }

    public String name() {
        return name;
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V> valueSerde() {
        return valueSerde;
    }

    /** The partition count, or null for that of the stream's source topics. */
    public Integer numberOfPartitions() {
        return numberOfPartitions;
    }
}
