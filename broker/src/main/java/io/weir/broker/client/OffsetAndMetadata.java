package io.weir.broker.client;

import java.util.Objects;
import java.util.Optional;

/**
 * A committed position of a consumer group in one partition: the offset of the next record the group will
 * read, the leader epoch of the record before it when known, and free text stored with it. Immutable.
 *
 * @param leaderEpoch empty when unknown
 * @param metadata    never null: a null given to the constructor is stored as the empty string, as Kafka does
 */
public record OffsetAndMetadata(long offset, Optional<Integer> leaderEpoch, String metadata) {

    /**
     * @throws IllegalArgumentException if {@code offset} is negative
     */
    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException("A committed offset must be >= 0, but got " + offset);
        }
        Objects.requireNonNull(leaderEpoch, "leaderEpoch");
        metadata = metadata == null ? "" : metadata;
    }

    public OffsetAndMetadata(long offset, String metadata) {
        this(offset, Optional.empty(), metadata);
    }

    public OffsetAndMetadata(long offset) {
        this(offset, Optional.empty(), "");
    }
}
