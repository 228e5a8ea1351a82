package io.weir.clients.admin;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * A consumer group as {@link Admin#describeConsumerGroups} reports it.
 *
 * @param partitionAssignor the assignment strategy the members agreed on (e.g. {@code range}); empty while
 *                          the group has no members
 * @param generationId      the generation of the last completed join phase; 0 before the first
 * @param leaderId          the member id of the leader that computes the assignment; empty without members
 * @param members           in the order they joined
 */
public record ConsumerGroupDescription(
        String groupId,
        ConsumerGroupState state,
        String partitionAssignor,
        int generationId,
        Optional<String> leaderId,
        List<MemberDescription> members) {
    public ConsumerGroupDescription {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
        partitionAssignor = partitionAssignor == null ? "" : partitionAssignor;
        Objects.requireNonNull(leaderId, "leaderId");
        members = List.copyOf(members);
    }
}
