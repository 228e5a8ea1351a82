package io.weir.streams;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Consumed;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.internals.InternalStreamsBuilder;
import io.weir.streams.kstream.internals.KStreamImpl;
import java.util.Collection;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a DSL topology starts: streams from topics, then operators on them, then {@link #build()}. As Kafka
 * Streams' {@code StreamsBuilder}. Not thread-safe; build on one thread.
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
        topology.internalBuilder().addSource(name, deserializer(consumed.keySerde()), deserializer(consumed.valueSerde()), topics);
        return new KStreamImpl<>(internal, name, consumed.keySerde(), consumed.valueSerde(), false);
    }

    /** The records of every topic whose name matches {@code pattern}. */
    public synchronized <K, V> KStream<K, V> stream(Pattern pattern) {
        return stream(pattern, Consumed.with(null, null));
    }

    public synchronized <K, V> KStream<K, V> stream(Pattern pattern, Consumed<K, V> consumed) {
        Objects.requireNonNull(consumed, "consumed");
        String name = consumed.name() != null ? consumed.name() : internal.newName("KSTREAM-SOURCE-");
        topology.internalBuilder().addSource(name, deserializer(consumed.keySerde()), deserializer(consumed.valueSerde()), pattern);
        return new KStreamImpl<>(internal, name, consumed.keySerde(), consumed.valueSerde(), false);
    }

    private static <T> Deserializer<T> deserializer(Serde<T> serde) {
        return serde == null ? null : serde.deserializer();
    }

    /** The topology built so far; building more afterwards changes it too. */
    public synchronized Topology build() {
        return topology;
    }
}
