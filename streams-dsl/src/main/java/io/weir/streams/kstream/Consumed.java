package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.TimestampExtractor;

/**
 * How a source reads its topics: the key and value serdes (the application's defaults where null), the timestamp
 * extractor (the application's {@code default.timestamp.extractor} where null) and the source's name. Immutable; each {@code with*} returns a copy.
 */
public final class Consumed<K, V> {
    final Serde<K> keySerde;
    final Serde<V> valueSerde;
    final String name;
    final TimestampExtractor timestampExtractor;

    private Consumed(Serde<K> keySerde, Serde<V> valueSerde, String name, TimestampExtractor timestampExtractor) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.name = name;
        this.timestampExtractor = timestampExtractor;
    }

    public static <K, V> Consumed<K, V> with(Serde<K> keySerde, Serde<V> valueSerde) {
        return new Consumed<>(keySerde, valueSerde, null, null);
    }

    public static <K, V> Consumed<K, V> with(
            Serde<K> keySerde, Serde<V> valueSerde, TimestampExtractor timestampExtractor) {
        return new Consumed<>(keySerde, valueSerde, null, timestampExtractor);
    }

    /** A source whose records get their timestamps from {@code timestampExtractor}. */
    public static <K, V> Consumed<K, V> with(TimestampExtractor timestampExtractor) {
        return new Consumed<>(null, null, null, timestampExtractor);
    }

    public static <K, V> Consumed<K, V> as(String processorName) {
        Named.validate(processorName);
        return new Consumed<>(null, null, processorName, null);
    }

    public Consumed<K, V> withKeySerde(Serde<K> serde) {
        return new Consumed<>(serde, valueSerde, name, timestampExtractor);
    }

    public Consumed<K, V> withValueSerde(Serde<V> serde) {
        return new Consumed<>(keySerde, serde, name, timestampExtractor);
    }

    public Consumed<K, V> withName(String processorName) {
        Named.validate(processorName);
        return new Consumed<>(keySerde, valueSerde, processorName, timestampExtractor);
    }

    /** This source's timestamp extractor, instead of the application's {@code default.timestamp.extractor}. */
    public Consumed<K, V> withTimestampExtractor(TimestampExtractor timestampExtractor) {
        return new Consumed<>(keySerde, valueSerde, name, timestampExtractor);
    }

    /** The source's own extractor, or null for the application's default. */
    public TimestampExtractor timestampExtractor() {
        return timestampExtractor;
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
