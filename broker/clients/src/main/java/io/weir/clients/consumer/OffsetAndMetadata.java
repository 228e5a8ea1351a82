package io.weir.clients.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * A committed position: the offset of the next record to read, as Kafka commits it (not the last one read),
 * with optional free-text metadata.
 *
 * @throws IllegalArgumentException naming the value when {@code offset} is negative
 */
public record OffsetAndMetadata(long offset, Optional<Integer> leaderEpoch, String metadata) {
    public OffsetAndMetadata {
        if (offset < 0) {
            throw new IllegalArgumentException(
                    "Invalid negative offset " + offset + ": a committed offset must be >= 0");
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
