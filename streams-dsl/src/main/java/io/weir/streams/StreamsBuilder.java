package io.weir.streams;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.GlobalKTable;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.internals.GlobalKTableImpl;
import io.weir.streams.kstream.internals.InternalStreamsBuilder;
import io.weir.streams.kstream.internals.KStreamImpl;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a DSL topology starts: streams from topics, then operators on them, then {@link #build()}. As Kafka
 * Streams' {@code StreamsBuilder}.
 *
 * <p>Thread-safety, as in Kafka Streams: every method is {@code synchronized} on this builder, and what it shares
 * with the operators (the graph, the name counter) is guarded where it is kept, so concurrent calls cannot corrupt
 * the topology. They can interleave, though, and the order of calls decides the generated names (and so the names
 * of stores and internal topics): build a topology from one thread if it is to be rebuilt with the same names.
 */
public class StreamsBuilder {
    private final Topology topology = new Topology();
    private final InternalStreamsBuilder internal = new InternalStreamsBuilder(topology.internalBuilder());

    /** The records of {@code topic}, with the application's default serdes. */
    public synchronized <K, V> KStream<K, V> stream(String topic) {
        return stream(List.of(topic));
    }

    public synchronized <K, V> KStream<K, V> stream(String topic, Consumed<K, V> consumed) {
        return stream(List.of(topic), consumed);
    }

    /** The records of all {@code topics}, interleaved as they arrive. */
    public synchronized <K, V> KStream<K, V> stream(Collection<String> topics) {
        return stream(topics, Consumed.with(null, null));
    }

    public synchronized <K, V> KStream<K, V> stream(Collection<String> topics, Consumed<K, V> consumed) {
        Objects.requireNonNull(consumed, "consumed");
        String name = consumed.name() != null ? consumed.name() : internal.newName("KSTREAM-SOURCE-");
        topology.internalBuilder()
                .addSource(
                        name,
                        consumed.timestampExtractor(),
                        deserializer(consumed.keySerde()),
                        deserializer(consumed.valueSerde()),
                        topics);
        return new KStreamImpl<>(internal, name, consumed.keySerde(), consumed.valueSerde(), false);
    }

    /** The records of every topic whose name matches {@code pattern}. */
    public synchronized <K, V> KStream<K, V> stream(Pattern pattern) {
        return stream(pattern, Consumed.with(null, null));
    }

    public synchronized <K, V> KStream<K, V> stream(Pattern pattern, Consumed<K, V> consumed) {
        Objects.requireNonNull(consumed, "consumed");
        String name = consumed.name() != null ? consumed.name() : internal.newName("KSTREAM-SOURCE-");
        topology.internalBuilder()
                .addSource(
                        name,
                        consumed.timestampExtractor(),
                        deserializer(consumed.keySerde()),
                        deserializer(consumed.valueSerde()),
                        pattern);
        return new KStreamImpl<>(internal, name, consumed.keySerde(), consumed.valueSerde(), false);
    }

    /** The records of {@code topic} read as a table (the latest value of each key), kept in a store. */
    public synchronized <K, V> KTable<K, V> table(String topic) {
        return table(topic, Consumed.with(null, null), null);
    }

    public synchronized <K, V> KTable<K, V> table(String topic, Consumed<K, V> consumed) {
        return table(topic, consumed, null);
    }

    /** As Kafka Streams: the topic is read with {@code materialized}'s serdes (the defaults where it has none). */
    public synchronized <K, V> KTable<K, V> table(String topic, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(materialized, "materialized");
        return table(topic, Consumed.with(materialized.keySerde(), materialized.valueSerde()), materialized);
    }

    /**
     * As {@link #table(String)}, with the store named and configured by {@code materialized}. As in Kafka Streams,
     * the store takes {@code consumed}'s serdes, replacing any {@code materialized} has (the defaults where
     * {@code consumed} has none); unlike Kafka's, {@code materialized} itself is left unchanged.
     */
    public synchronized <K, V> KTable<K, V> table(
            String topic, Consumed<K, V> consumed, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(consumed, "consumed");
        // Kafka Streams' order of generated names: the store ("<topic>-STATE-STORE-"), the source, the table source
        // ("<name>-table-source" when Consumed names the source).
        String storeName = materialized != null && materialized.storeName() != null
                ? materialized.storeName()
                : internal.newName(topic + "-STATE-STORE-");
        String sourceName = consumed.name() != null ? consumed.name() : internal.newName("KSTREAM-SOURCE-");
        String tableSourceName =
                consumed.name() != null ? consumed.name() + "-table-source" : internal.newName("KTABLE-SOURCE-");
        topology.internalBuilder()
                .addSource(
                        sourceName,
                        consumed.timestampExtractor(),
                        deserializer(consumed.keySerde()),
                        deserializer(consumed.valueSerde()),
                        List.of(topic));
        KStreamImpl<K, V> source =
                new KStreamImpl<>(internal, sourceName, consumed.keySerde(), consumed.valueSerde(), false);
        return source.tableAt(
                tableSourceName, sourceName, storeName, materialized, consumed.keySerde(), consumed.valueSerde());
    }

    /**
     * The whole of {@code topic} as a table on every instance, as Kafka Streams' {@code globalTable}: the global
     * stream thread keeps it in a local store (restored from the topic before the instance runs, then kept up to
     * date), which streams join by any key ({@link KStream#join(GlobalKTable, io.weir.streams.kstream.KeyValueMapper,
     * io.weir.streams.kstream.ValueJoiner)}) and interactive queries read on every instance.
     */
    public synchronized <K, V> GlobalKTable<K, V> globalTable(String topic) {
        return globalTable(topic, Consumed.with(null, null), null);
    }

    public synchronized <K, V> GlobalKTable<K, V> globalTable(String topic, Consumed<K, V> consumed) {
        return globalTable(topic, consumed, null);
    }

    /** As {@link #globalTable(String)}, read with {@code materialized}'s serdes (the defaults where it has none). */
    public synchronized <K, V> GlobalKTable<K, V> globalTable(
            String topic, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(materialized, "materialized");
        return globalTable(topic, Consumed.with(materialized.keySerde(), materialized.valueSerde()), materialized);
    }

    /**
     * As {@link #globalTable(String)}, the store named and configured by {@code materialized} and read with
     * {@code consumed}'s serdes (as {@link #table(String, Consumed, Materialized)}). The store has no changelog topic:
     * {@code topic} is its changelog.
     */
    public synchronized <K, V> GlobalKTable<K, V> globalTable(
            String topic, Consumed<K, V> consumed, Materialized<K, V, ? extends StateStore> materialized) {
        Objects.requireNonNull(topic, "topic");
        Objects.requireNonNull(consumed, "consumed");
        return GlobalKTableImpl.build(internal, topic, consumed, materialized);
    }

    /**
     * A global store kept by the processors {@code stateUpdateSupplier} makes from every record of {@code topic}, as
     * Kafka Streams' {@code addGlobalStore}: run by the global stream thread of every instance, restored from
     * {@code topic} (the store's changelog; the builder's logging setting is ignored) by running its records through
     * the processor, and readable by every processor. The processor should only write the store: what it forwards
     * goes nowhere.
     */
    public synchronized <KIn, VIn> StreamsBuilder addGlobalStore(
            StoreBuilder<?> storeBuilder,
            String topic,
            Consumed<KIn, VIn> consumed,
            ProcessorSupplier<KIn, VIn, Void, Void> stateUpdateSupplier) {
        Objects.requireNonNull(storeBuilder, "storeBuilder");
        Objects.requireNonNull(consumed, "consumed");
        String sourceName = consumed.name() != null ? consumed.name() : internal.newName("KSTREAM-SOURCE-");
        String processorName =
                consumed.name() != null ? consumed.name() + "-processor" : internal.newName("KTABLE-SOURCE-");
        topology.internalBuilder()
                .addGlobalStore(
                        (StoreFactory) storeBuilder,
                        sourceName,
                        consumed.timestampExtractor(),
                        deserializer(consumed.keySerde()),
                        deserializer(consumed.valueSerde()),
                        topic,
                        processorName,
                        stateUpdateSupplier);
        return this;
    }

    private static <T> Deserializer<T> deserializer(Serde<T> serde) {
        return serde == null ? null : serde.deserializer();
    }

    /**
     * A store for processors that name it ({@code process(supplier, "store")}, {@code processValues}); each task of
     * their sub-topology opens its own instance.
     */
    public synchronized StreamsBuilder addStateStore(StoreBuilder<?> storeBuilder) {
        topology.internalBuilder().addStateStore((StoreFactory) storeBuilder);
        return this;
    }

    /** The topology built so far; building more afterwards changes it too. */
    public synchronized Topology build() {
        return topology;
    }
}
