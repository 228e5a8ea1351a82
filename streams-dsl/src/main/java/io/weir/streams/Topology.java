package io.weir.streams;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serializer;
import io.weir.streams.processor.TimestampExtractor;
import io.weir.streams.processor.TopicNameExtractor;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.internals.StoreFactory;
import java.util.List;
import java.util.regex.Pattern;

/**
 * A graph of sources, processors and sinks, built with the Processor API here or by a {@link StreamsBuilder}.
 * Every method checks what it adds at once and throws {@link io.weir.streams.errors.TopologyException} naming the
 * node (a name used twice, a missing parent, a topic read twice). Every method is {@code synchronized} on this
 * topology, as in Kafka Streams, so concurrent calls cannot corrupt it; build it, then hand it to a runtime or a
 * {@link TopologyTestDriver}.
 */
public class Topology {
    final InternalTopologyBuilder internal = new InternalTopologyBuilder();

    /** A source of the given topics, with the application's default serdes. */
    public synchronized Topology addSource(String name, String... topics) {
        internal.addSource(name, null, null, List.of(topics));
        return this;
    }

    /** A source of every topic matching {@code pattern}, with the application's default serdes. */
    public synchronized Topology addSource(String name, Pattern pattern) {
        internal.addSource(name, null, null, pattern);
        return this;
    }

    /** A source of the given topics with these deserializers. */
    public synchronized Topology addSource(
            String name, Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer, String... topics) {
        internal.addSource(name, keyDeserializer, valueDeserializer, List.of(topics));
        return this;
    }

    /** A source of the given topics whose records get their timestamps from {@code timestampExtractor}. */
    public synchronized Topology addSource(TimestampExtractor timestampExtractor, String name, String... topics) {
        internal.addSource(name, timestampExtractor, null, null, List.of(topics));
        return this;
    }

    /** A source of the given topics with these deserializers and timestamp extractor. */
    public synchronized Topology addSource(
            String name,
            TimestampExtractor timestampExtractor,
            Deserializer<?> keyDeserializer,
            Deserializer<?> valueDeserializer,
            String... topics) {
        internal.addSource(name, timestampExtractor, keyDeserializer, valueDeserializer, List.of(topics));
        return this;
    }

    /** A processor that takes records from the named parents; {@code supplier} makes one per task. */
    public synchronized <KIn, VIn, KOut, VOut> Topology addProcessor(
            String name, ProcessorSupplier<KIn, VIn, KOut, VOut> supplier, String... parentNames) {
        internal.addProcessor(name, supplier, parentNames);
        return this;
    }

    /** A sink writing to {@code topic} with the application's default serdes. */
    public synchronized Topology addSink(String name, String topic, String... parentNames) {
        internal.addSink(name, topic, null, null, null, parentNames);
        return this;
    }

    /** A sink writing to {@code topic} with these serializers. */
    public synchronized <K, V> Topology addSink(
            String name,
            String topic,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            String... parentNames) {
        internal.addSink(name, topic, null, keySerializer, valueSerializer, parentNames);
        return this;
    }

    /** A sink writing each record to the topic {@code extractor} chooses. */
    public synchronized <K, V> Topology addSink(
            String name,
            TopicNameExtractor<K, V> extractor,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            String... parentNames) {
        internal.addSink(name, null, extractor, keySerializer, valueSerializer, parentNames);
        return this;
    }

    /**
     * A store that every task of the named processors' sub-topology opens; processors that share a store run in one
     * sub-topology.
     */
    public synchronized Topology addStateStore(StoreBuilder<?> storeBuilder, String... processorNames) {
        internal.addStateStore((StoreFactory) storeBuilder, processorNames);
        return this;
    }

    /**
     * A global store, as Kafka Streams' {@code addGlobalStore}: source {@code sourceName} reads every partition of
     * {@code topic} on every instance (the global stream thread's) and hands each record to {@code processorName},
     * which keeps the store; the topic is the store's changelog (the builder's logging setting is ignored), and a
     * restore runs the topic's records through the processor. Every processor may read the store.
     */
    public synchronized <KIn, VIn> Topology addGlobalStore(
            StoreBuilder<?> storeBuilder,
            String sourceName,
            Deserializer<KIn> keyDeserializer,
            Deserializer<VIn> valueDeserializer,
            String topic,
            String processorName,
            ProcessorSupplier<KIn, VIn, Void, Void> stateUpdateSupplier) {
        internal.addGlobalStore(
                (StoreFactory) storeBuilder,
                sourceName,
                null,
                keyDeserializer,
                valueDeserializer,
                topic,
                processorName,
                stateUpdateSupplier);
        return this;
    }

    /** Lets the named processor use stores added before. */
    public synchronized Topology connectProcessorAndStateStores(String processorName, String... stateStoreNames) {
        internal.connectProcessorAndStores(processorName, stateStoreNames);
        return this;
    }

    /** Its sources, processors and sinks by sub-topology; {@code toString()} prints them as Kafka Streams does. */
    public synchronized TopologyDescription describe() {
        return internal.describe();
    }

    /** The builder behind this topology, for the runtime and the test driver in this module. */
    InternalTopologyBuilder internalBuilder() {
        return internal;
    }
}
