package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.StreamPartitioner;

/**
 * How a sink writes: the key and value serdes (the stream's, else the application's defaults, where null), the
 * partitioner that picks each record's partition (null: the producer's default, murmur2 of the serialized key) and
 * the sink's name. Immutable; each {@code with*} returns a copy.
 */
public final class Produced<K, V> {
    final Serde<K> keySerde;
    final Serde<V> valueSerde;
    final StreamPartitioner<? super K, ? super V> partitioner;
    final String name;

    private Produced(
            Serde<K> keySerde, Serde<V> valueSerde, StreamPartitioner<? super K, ? super V> partitioner, String name) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.partitioner = partitioner;
        this.name = name;
    }

    public static <K, V> Produced<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Produced<>(keySerde, valueSerde, null, null);
    }

    /** Serdes and a partitioner, as Kafka Streams' {@code Produced.with(keySerde, valueSerde, partitioner)}. */
    public static <K, V> Produced<K, V> with(
            Serde<K> keySerde, Serde<V> valueSerde, StreamPartitioner<? super K, ? super V> partitioner) {
        return new Produced<>(keySerde, valueSerde, partitioner, null);
    }

    public static <K, V> Produced<K, V> keySerde(Serde<K> keySerde) {
        return new Produced<>(keySerde, null, null, null);
    }

    public static <K, V> Produced<K, V> valueSerde(Serde<V> valueSerde) {
        return new Produced<>(null, valueSerde, null, null);
    }

    /** Only a partitioner; the serdes are the stream's (or the defaults). */
    public static <K, V> Produced<K, V> streamPartitioner(StreamPartitioner<? super K, ? super V> partitioner) {
        return new Produced<>(null, null, partitioner, null);
    }

    public static <K, V> Produced<K, V> as(String processorName) {
        Named.validate(processorName);
        return new Produced<>(null, null, null, processorName);
    }

    public Produced<K, V> withKeySerde(Serde<K> serde) {
        return new Produced<>(serde, valueSerde, partitioner, name);
    }

    public Produced<K, V> withValueSerde(Serde<V> serde) {
        return new Produced<>(keySerde, serde, partitioner, name);
    }

    /**
     * The partitioner that picks each record's partition, given the key, the value and the topic's partition count;
     * it may answer null for the default partitioner's choice.
     */
    public Produced<K, V> withStreamPartitioner(StreamPartitioner<? super K, ? super V> partitioner) {
        return new Produced<>(keySerde, valueSerde, partitioner, name);
    }

    public Produced<K, V> withName(String processorName) {
        Named.validate(processorName);
        return new Produced<>(keySerde, valueSerde, partitioner, processorName);
    }

    /** The sink's partitioner, or null for the default. */
    public StreamPartitioner<? super K, ? super V> streamPartitioner() {
        return partitioner;
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
