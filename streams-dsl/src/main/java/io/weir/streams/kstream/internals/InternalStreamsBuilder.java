package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Named;
import io.weir.streams.processor.internals.InternalTopologyBuilder;

/**
 * What the DSL's operators share while a topology is built: the graph and the counter behind generated names
 * ({@code KSTREAM-FILTER-0000000001}, as Kafka Streams numbers them). Used on the building thread only.
 */
public final class InternalStreamsBuilder {
    private final InternalTopologyBuilder topology;
    private int index;

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
        return prefix + String.format("%010d", index++);
    }
}
