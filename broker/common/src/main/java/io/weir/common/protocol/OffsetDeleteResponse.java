package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * @param error      the group's error (GROUP_ID_NOT_FOUND, NON_EMPTY_GROUP, ...); when it is not NONE, nothing
 *                   was deleted and {@code partitions} is empty
 * @param partitions per partition asked about: NONE (deleted, or there was no offset) or why not
 */
public record OffsetDeleteResponse(ApiError error, Map<TopicPartition, ApiError> partitions) {
    public OffsetDeleteResponse {
        partitions = Map.copyOf(partitions);
    }
}
