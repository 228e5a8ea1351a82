package io.weir.clients.admin;

import io.weir.common.TopicPartition;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * One member of a consumer group as {@link Admin#describeConsumerGroups} reports it.
 *
 * @param groupInstanceId the member's {@code group.instance.id} when it is a static member
 * @param assignment      the partitions the group's leader assigned to it in the current generation; empty
 *                        while the group has not completed a rebalance
 */
public record MemberDescription(
        String memberId, Optional<String> groupInstanceId, String clientId, Set<TopicPartition> assignment) {
    public MemberDescription {
        Objects.requireNonNull(memberId, "memberId");
        Objects.requireNonNull(groupInstanceId, "groupInstanceId");
        clientId = clientId == null ? "" : clientId;
        assignment = Set.copyOf(assignment);
    }
}
