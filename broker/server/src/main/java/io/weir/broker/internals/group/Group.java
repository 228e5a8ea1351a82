package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One consumer group: its state, generation, chosen strategy, leader and members, and its committed offsets.
 *
 * <p><b>Threading.</b> Membership fields are guarded by this object's monitor, which the
 * {@link GroupCoordinator} holds for every call on the group. Answers to members (join, sync) are queued with
 * {@link #defer} under the monitor and run by the coordinator after it lets go, so a client's continuation
 * never runs while the group is locked. {@link #offsets} is different: it is written only in the order the
 * offsets topic appended the commits (on the append thread, or during load), never under the monitor, so that
 * an append thread never waits for a group lock. {@link #offsetPositions} and {@link #pendingTxnOffsets} are
 * written the same way, by the same thread as {@code offsets}: the append thread of the group's partition.
 */
final class Group {
    final String groupId;
    private GroupState state = GroupState.EMPTY;
    int generationId;
    String protocolType;
    String protocolName;
    String leaderId;
    long stateTimestampMs;
    /** Members in join order; the order makes leader choice and describe output deterministic. */
    final LinkedHashMap<String, MemberMetadata> members = new LinkedHashMap<>();
    /** {@code group.instance.id} to the member id currently holding it. */
    final Map<String, String> staticMembers = new HashMap<>();
    /** End of the join phase, while PreparingRebalance. */
    long rebalanceDeadlineMs = -1;
    /** End of the initial delay of a rebalance that started from Empty ({@code group.initial.rebalance.delay.ms}). */
    long initialDelayUntilMs = -1;
    /** End of the sync phase, while CompletingRebalance. */
    long syncDeadlineMs = -1;
    /** Every partition this group ever committed, so a delete can write a tombstone for each. */
    final Set<TopicPartition> everCommitted = new HashSet<>();
    /** Committed offsets as the offsets topic holds them; see the class comment for who writes. */
    final ConcurrentHashMap<TopicPartition, CommittedOffset> offsets = new ConcurrentHashMap<>();
    /**
     * The log offset of the record behind each entry of {@link #offsets}, so that a transaction committing
     * late never overwrites an offset the log holds a newer record for (Kafka's rule). Written with offsets.
     */
    final ConcurrentHashMap<TopicPartition, Long> offsetPositions = new ConcurrentHashMap<>();
    /**
     * Offsets written by open transactions, per producer id: appended, but visible only once the producer's
     * COMMIT marker reaches the group's partition, and dropped by its ABORT marker. Written with offsets.
     */
    final ConcurrentHashMap<Long, ConcurrentHashMap<TopicPartition, PendingTxnOffset>> pendingTxnOffsets = new ConcurrentHashMap<>();

    /** A transactional offset and the log offset of its record; a null value is a removal. */
    record PendingTxnOffset(CommittedOffset value, long logOffset) {
    }
    private final List<Runnable> deferred = new ArrayList<>();

    Group(String groupId) {
        this.groupId = groupId;
    }

    GroupState state() {
        return state;
    }

    boolean is(GroupState s) {
        return state == s;
    }

    /** @throws IllegalStateException naming both states when the table does not allow the move */
    void transitionTo(GroupState next, long nowMs) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException("Group " + groupId + " cannot move from " + state.displayName()
                    + " to " + next.displayName());
        }
        state = next;
        stateTimestampMs = nowMs;
    }

    /** Queues an answer to run once the coordinator has released this group. */
    void defer(Runnable answer) {
        deferred.add(answer);
    }

    List<Runnable> takeDeferred() {
        if (deferred.isEmpty()) {
            return List.of();
        }
        List<Runnable> out = new ArrayList<>(deferred);
        deferred.clear();
        return out;
    }

    boolean hasMembers() {
        return !members.isEmpty();
    }

    MemberMetadata member(String memberId) {
        return members.get(memberId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** Adds a member; the first member of an empty group sets the group's protocol type. */
    void add(MemberMetadata member, String memberProtocolType) {
        if (members.isEmpty()) {
            protocolType = memberProtocolType;
        }
        members.put(member.memberId, member);
        if (member.isStatic()) {
            staticMembers.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        MemberMetadata removed = members.remove(memberId);
        if (removed != null && removed.isStatic() && memberId.equals(staticMembers.get(removed.groupInstanceId))) {
            staticMembers.remove(removed.groupInstanceId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = chooseLeader();
        }
    }

    /** A new leader after the old one left: prefer a member that is waiting to join, so it gets the member list. */
    private String chooseLeader() {
        for (MemberMetadata m : members.values()) {
            if (m.isAwaitingJoin()) {
                return m.memberId;
            }
        }
        return members.isEmpty() ? null : members.keySet().iterator().next();
    }

    void ensureLeaderAwaitingJoin() {
        MemberMetadata leader = leaderId == null ? null : members.get(leaderId);
        if (leader == null || !leader.isAwaitingJoin()) {
            leaderId = chooseLeader();
        }
    }

    boolean allMembersAwaitingJoin() {
        for (MemberMetadata m : members.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (MemberMetadata m : members.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /**
     * Whether a member with these protocols could join: an empty group takes any type; otherwise the type
     * must match and at least one strategy must be supported by every member and the newcomer.
     */
    boolean supportsProtocols(String type, List<JoinGroupRequest.Protocol> protocols) {
        if (members.isEmpty()) {
            return !type.isEmpty() && !protocols.isEmpty();
        }
        if (!type.equals(protocolType)) {
            return false;
        }
        Set<String> candidates = candidateProtocols();
        for (JoinGroupRequest.Protocol p : protocols) {
            if (candidates.contains(p.name())) {
                return true;
            }
        }
        return false;
    }

    /** Strategies every member supports, in the first member's order of preference. */
    Set<String> candidateProtocols() {
        Set<String> candidates = null;
        for (MemberMetadata m : members.values()) {
            Set<String> names = new LinkedHashSet<>();
            m.protocols.forEach(p -> names.add(p.name()));
            if (candidates == null) {
                candidates = names;
            } else {
                candidates.retainAll(names);
            }
        }
        return candidates == null ? Set.of() : candidates;
    }

    /**
     * Kafka's vote: each member votes for its most preferred strategy among those every member supports; the
     * most votes win, ties going to the earlier candidate.
     */
    String selectProtocol() {
        Set<String> candidates = candidateProtocols();
        if (candidates.isEmpty()) {
            throw new IllegalStateException("Group " + groupId + " has no strategy all members support");
        }
        Map<String, Integer> votes = new LinkedHashMap<>();
        candidates.forEach(c -> votes.put(c, 0));
        for (MemberMetadata m : members.values()) {
            for (JoinGroupRequest.Protocol p : m.protocols) {
                if (candidates.contains(p.name())) {
                    votes.merge(p.name(), 1, Integer::sum);
                    break;
                }
            }
        }
        String best = null;
        int bestVotes = -1;
        for (Map.Entry<String, Integer> e : votes.entrySet()) {
            if (e.getValue() > bestVotes) {
                best = e.getKey();
                bestVotes = e.getValue();
            }
        }
        return best;
    }

    Collection<MemberMetadata> memberList() {
        return members.values();
    }

    @Override
    public String toString() {
        return "Group(" + groupId + ", " + state.displayName() + ", generation " + generationId + ", " + members.size() + " members)";
    }
}
