package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Named;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * What the DSL's operators share while a topology is built: the graph and the counter behind generated names
 * ({@code KSTREAM-FILTER-0000000001}, as Kafka Streams numbers them).
 *
 * <p>Thread-safe: the counter is atomic, so no two calls get the same index, and the graph guards itself
 * ({@link InternalTopologyBuilder} is synchronized). Which operator gets which index depends on the order of calls.
 */
public final class InternalStreamsBuilder {
    private final InternalTopologyBuilder topology;
    private final AtomicInteger index = new AtomicInteger();

    public InternalStreamsBuilder(InternalTopologyBuilder topology) {
        this.topology = topology;
    }

    InternalTopologyBuilder topology() {
        return topology;
    }

    /** The user's name if {@code named} carries one, else {@code prefix} and the next index. */
    public String name(Named named, String prefix) {
        if (named != null && named.name() != null) {
            return named.name();
        }
        return newName(prefix);
    }

    public String newName(String prefix) {
        return prefix + String.format("%010d", index.getAndIncrement());
    }
}
