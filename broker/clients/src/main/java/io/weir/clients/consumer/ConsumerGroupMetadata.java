package io.weir.clients.consumer;

import java.util.Objects;
import java.util.Optional;

/**
 * Who a group member is at this moment: what {@link Consumer#groupMetadata()} returns and a transactional
 * producer passes to {@code sendOffsetsToTransaction}, so that the coordinator can refuse offsets from a
 * member of an old generation.
 *
 * @param generationId -1 when the consumer is not (yet) a member of a generation
 * @param memberId     empty when the consumer has not joined
 */
public record ConsumerGroupMetadata(
        String groupId, int generationId, String memberId, Optional<String> groupInstanceId) {
    public static final int UNKNOWN_GENERATION = -1;
    public static final String UNKNOWN_MEMBER = "";

    public ConsumerGroupMetadata {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
    }

    /** Metadata of a group this consumer has not joined. */
    public ConsumerGroupMetadata(String groupId) {
        this(groupId, UNKNOWN_GENERATION, UNKNOWN_MEMBER, Optional.empty());
    }
}
