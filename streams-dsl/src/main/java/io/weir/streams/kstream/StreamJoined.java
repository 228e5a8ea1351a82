package io.weir.streams.kstream;

import io.weir.common.serialization.Serde;
import io.weir.streams.state.WindowBytesStoreSupplier;
import java.util.Map;
import java.util.Objects;

/**
 * How a stream-stream join keeps its state and names its parts, as Kafka Streams' {@code StreamJoined}: the serdes of
 * the key and of each side's values (for the join's window stores and any repartition topic), the name of the
 * processors and repartition topics, the base name of the stores, each side's window store supplier, and whether the
 * stores are backed by changelog topics. Immutable: each {@code with} returns a copy.
 */
public final class StreamJoined<K, V1, V2> {
    private final Serde<K> keySerde;
    private final Serde<V1> valueSerde;
    private final Serde<V2> otherValueSerde;
    private final WindowBytesStoreSupplier thisStoreSupplier;
    private final WindowBytesStoreSupplier otherStoreSupplier;
    private final String name;
    private final String storeName;
    private final boolean loggingEnabled;
    private final Map<String, String> topicConfig;

    private StreamJoined(
            Serde<K> keySerde,
            Serde<V1> valueSerde,
            Serde<V2> otherValueSerde,
            WindowBytesStoreSupplier thisStoreSupplier,
            WindowBytesStoreSupplier otherStoreSupplier,
            String name,
            String storeName,
            boolean loggingEnabled,
            Map<String, String> topicConfig) {
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.otherValueSerde = otherValueSerde;
        this.thisStoreSupplier = thisStoreSupplier;
        this.otherStoreSupplier = otherStoreSupplier;
        this.name = name;
        this.storeName = storeName;
        this.loggingEnabled = loggingEnabled;
        this.topicConfig = topicConfig;
    }

    /** The serdes of the key, this stream's values and the other stream's values; null means the stream's own. */
    public static <K, V1, V2> StreamJoined<K, V1, V2> with(
            Serde<K> keySerde, Serde<V1> valueSerde, Serde<V2> otherValueSerde) {
        return new StreamJoined<>(keySerde, valueSerde, otherValueSerde, null, null, null, null, true, Map.of());
    }

    /** Each side's window store; see {@link #withThisStoreSupplier}. */
    public static <K, V1, V2> StreamJoined<K, V1, V2> with(
            WindowBytesStoreSupplier storeSupplier, WindowBytesStoreSupplier otherStoreSupplier) {
        return StreamJoined.<K, V1, V2>with(null, null, null)
                .withThisStoreSupplier(storeSupplier)
                .withOtherStoreSupplier(otherStoreSupplier);
    }

    /** The stores' base name: see {@link #withStoreName}. */
    public static <K, V1, V2> StreamJoined<K, V1, V2> as(String storeName) {
        return StreamJoined.<K, V1, V2>with(null, null, null).withStoreName(storeName);
    }

    /**
     * Names the join's processors ({@code <name>-this-windowed}, {@code <name>-this-join}, {@code <name>-merge}, ...)
     * and repartition topics ({@code <name>-left-repartition}, {@code <name>-right-repartition}).
     */
    public StreamJoined<K, V1, V2> withName(String name) {
        Named.validate(name);
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    /**
     * The base name of the stores, and so of their changelogs: {@code <storeName>-this-join-store} and
     * {@code -other-join-store} ({@code -outer-this-join-store} / {@code -outer-other-join-store} on an outer side),
     * and a left or outer join's {@code -left-shared-join-store} / {@code -outer-shared-join-store}. Without it the
     * names are generated and change when operators are added before the join.
     */
    public StreamJoined<K, V1, V2> withStoreName(String storeName) {
        Named.validate(storeName);
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    public StreamJoined<K, V1, V2> withKeySerde(Serde<K> keySerde) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    public StreamJoined<K, V1, V2> withValueSerde(Serde<V1> valueSerde) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    public StreamJoined<K, V1, V2> withOtherValueSerde(Serde<V2> otherValueSerde) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    /**
     * This stream's window store. It must retain duplicates, have the join's size ({@code before + after}) as its
     * window size, and keep at least {@code size + grace + 1} ms (Kafka Streams asks for {@code size + grace}; Weir
     * keeps one more millisecond so that a record at the very edge of the grace still finds its matches).
     */
    public StreamJoined<K, V1, V2> withThisStoreSupplier(WindowBytesStoreSupplier thisStoreSupplier) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                Objects.requireNonNull(thisStoreSupplier, "thisStoreSupplier"),
                otherStoreSupplier,
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    /** The other stream's window store, under the rules of {@link #withThisStoreSupplier}. */
    public StreamJoined<K, V1, V2> withOtherStoreSupplier(WindowBytesStoreSupplier otherStoreSupplier) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                Objects.requireNonNull(otherStoreSupplier, "otherStoreSupplier"),
                name,
                storeName,
                loggingEnabled,
                topicConfig);
    }

    /** Back the stores with changelog topics with these topic configs (the default, with none). */
    public StreamJoined<K, V1, V2> withLoggingEnabled(Map<String, String> config) {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                true,
                Map.copyOf(config));
    }

    /** No changelog topics: the stores' contents are lost with a task's local state. */
    public StreamJoined<K, V1, V2> withLoggingDisabled() {
        return new StreamJoined<>(
                keySerde,
                valueSerde,
                otherValueSerde,
                thisStoreSupplier,
                otherStoreSupplier,
                name,
                storeName,
                false,
                Map.of());
    }

    public Serde<K> keySerde() {
        return keySerde;
    }

    public Serde<V1> valueSerde() {
        return valueSerde;
    }

    public Serde<V2> otherValueSerde() {
        return otherValueSerde;
    }

    public WindowBytesStoreSupplier thisStoreSupplier() {
        return thisStoreSupplier;
    }

    public WindowBytesStoreSupplier otherStoreSupplier() {
        return otherStoreSupplier;
    }

    public String name() {
        return name;
    }

    public String storeName() {
        return storeName;
    }

    public boolean loggingEnabled() {
        return loggingEnabled;
    }

    /** The changelog topic configs given to {@link #withLoggingEnabled}. */
    public Map<String, String> topicConfig() {
        return topicConfig;
    }

    @Override
    public String toString() {
        return "StreamJoined{name=" + name + ", storeName=" + storeName + ", loggingEnabled=" + loggingEnabled + '}';
    }
}
