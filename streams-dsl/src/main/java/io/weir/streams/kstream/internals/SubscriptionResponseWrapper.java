package io.weir.streams.kstream.internals;

import java.util.Arrays;
import java.util.Objects;

/**
 * What the right side of a foreign-key join answers a subscriber, keyed by the left row's key: the hash of the left
 * value the subscription was sent for, and the right table's value of the foreign key (null: none). The left side
 * drops an answer whose hash is not its current value's: it was meant for a value the row no longer has. The
 * primary partition is where the answer goes (the response sink's partitioner reads it); it is not written to the
 * topic, as in Kafka Streams' {@code SubscriptionResponseWrapper}. Immutable.
 */
final class SubscriptionResponseWrapper<VO> {
    private final long[] originalValueHash;
    private final VO foreignValue;
    private final Integer primaryPartition;

    SubscriptionResponseWrapper(long[] originalValueHash, VO foreignValue, Integer primaryPartition) {
        this.originalValueHash = originalValueHash;
        this.foreignValue = foreignValue;
        this.primaryPartition = primaryPartition;
    }

    long[] originalValueHash() {
        return originalValueHash;
    }

    VO foreignValue() {
        return foreignValue;
    }

    /** The left task's partition, or null on the left side (it is not read back from the topic). */
    Integer primaryPartition() {
        return primaryPartition;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof SubscriptionResponseWrapper<?> that
                && Arrays.equals(originalValueHash, that.originalValueHash)
                && Objects.equals(foreignValue, that.foreignValue)
                && Objects.equals(primaryPartition, that.primaryPartition);
    }

    @Override
    public int hashCode() {
        return Objects.hash(Arrays.hashCode(originalValueHash), foreignValue, primaryPartition);
    }

    @Override
    public String toString() {
        return "SubscriptionResponseWrapper{foreignValue=" + foreignValue + ", hash="
                + Arrays.toString(originalValueHash) + ", primaryPartition=" + primaryPartition + "}";
    }
}
