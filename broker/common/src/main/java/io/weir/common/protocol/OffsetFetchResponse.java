package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * A group's committed offsets. A partition without a committed offset is answered with offset -1 and no
 * error, as Kafka does; a group that does not exist answers as one without offsets (no partitions when the
 * request asked for all, -1 for each named one), no error, as Kafka 4.1 does. A partition's own error is in its {@link PartitionData}.
 */
public record OffsetFetchResponse(ApiError error, Map<TopicPartition, PartitionData> offsets) {
    public OffsetFetchResponse {
        offsets = Map.copyOf(offsets);
    }

    /** @param error {@code UNSTABLE_OFFSET_COMMIT} for a stable-only fetch of an offset a transaction holds */
    public record PartitionData(long offset, int leaderEpoch, String metadata, ApiError error) {
        public static final PartitionData NONE = new PartitionData(-1L, -1, "");

        public PartitionData(long offset, int leaderEpoch, String metadata) {
            this(offset, leaderEpoch, metadata, ApiError.NONE);
        }
    }
}
