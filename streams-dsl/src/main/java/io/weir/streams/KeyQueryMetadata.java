package io.weir.streams;

import io.weir.streams.state.HostInfo;
import java.util.Set;

/**
 * Where a key of a store lives, as Kafka Streams' {@code KeyQueryMetadata}: the instance hosting its partition
 * (Weir runs no standby replicas, so {@code standbyHosts} is empty) and the partition.
 */
public record KeyQueryMetadata(HostInfo activeHost, Set<HostInfo> standbyHosts, int partition) {
    /** The answer while the application has no assignment yet, or no instance hosts the partition. */
    public static final KeyQueryMetadata NOT_AVAILABLE = new KeyQueryMetadata(HostInfo.unavailable(), Set.of(), -1);

    public KeyQueryMetadata {
        standbyHosts = Set.copyOf(standbyHosts);
    }
}
