package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
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
 * <p><b>Invariants.</b> Only this class changes a group, through methods that keep what belongs together
 * together: a state change goes through {@link GroupState}'s transition table (an illegal one throws naming
 * both states, before anything changed) and moves the deadlines of the phase it enters with it; the leader is
 * always a member, or null without members; a static member's instance id maps to its member id; an offset
 * is cached with the log offset of its record. Other classes of the package read the collections through
 * unmodifiable views and the scalar fields {@link #generationId} and {@link #leaderId} directly; that nothing
 * else writes those two is checked by the build ({@code architecture-tests}).
 *
 * <p><b>Threading.</b> Membership is guarded by this object's monitor, which the {@link GroupCoordinator}
 * holds for every call on the group. Answers to members (join, sync) are queued with {@link #defer} under the
 * monitor and run by the coordinator after it lets go, so a client's continuation never runs while the group
 * is locked. The offsets are different: they are written only in the order the offsets topic appended the
 * commits (on the append thread of the group's partition, or during load), never under the monitor, so that
 * an append thread never waits for a group lock; that covers {@link #applyOffset}, the pending transactional
 * offsets and {@link #clearOffsets}. Readers of offsets may be on any thread.
 */
final class Group {
    final String groupId;
    private GroupState state = GroupState.EMPTY;
    /** The current generation; written only here (see the class comment). */
    int generationId;

    private String protocolType;
    private String protocolName;
    /** The member that computes the assignment, null without members; written only here (see the class comment). */
    String leaderId;

    private long stateTimestampMs;
    /** Members in join order; the order makes leader choice and describe output deterministic. */
    private final LinkedHashMap<String, MemberMetadata> memberMap = new LinkedHashMap<>();
    /** {@code group.instance.id} to the member id currently holding it. */
    private final Map<String, String> instanceHolders = new HashMap<>();
    /** End of the join phase, while PreparingRebalance. */
    private long rebalanceDeadlineMs = -1;
    /** End of the initial delay of a rebalance that started from Empty ({@code group.initial.rebalance.delay.ms}). */
    private long initialDelayUntilMs = -1;
    /** End of the sync phase, while CompletingRebalance. */
    private long syncDeadlineMs = -1;
    /** Every partition this group ever committed, so a delete can write a tombstone for each. */
    private final Set<TopicPartition> everCommitted = new HashSet<>();
    /** Member ids handed out with MEMBER_ID_REQUIRED, each with the time by which it must join; under the lock. */
    private final Map<String, Long> pendingMembers = new HashMap<>();
    /** Committed offsets as the offsets topic holds them; see the class comment for who writes. */
    private final ConcurrentHashMap<TopicPartition, CommittedOffset> committed = new ConcurrentHashMap<>();
    /**
     * The log offset of the record behind each entry of {@link #committed}, so that a transaction committing
     * late never overwrites an offset the log holds a newer record for (Kafka's rule). Written with offsets.
     */
    private final ConcurrentHashMap<TopicPartition, Long> offsetPositions = new ConcurrentHashMap<>();
    /**
     * Offsets written by open transactions, per producer id: appended, but visible only once the producer's
     * COMMIT marker reaches the group's partition, and dropped by its ABORT marker. Written with offsets.
     */
    private final ConcurrentHashMap<Long, ConcurrentHashMap<TopicPartition, PendingTxnOffset>> pending =
            new ConcurrentHashMap<>();

    /** Read-only view of the members, in join order. */
    final Map<String, MemberMetadata> members = Collections.unmodifiableMap(memberMap);
    /** Read-only view: {@code group.instance.id} to the member id currently holding it. */
    final Map<String, String> staticMembers = Collections.unmodifiableMap(instanceHolders);
    /** Read-only view of the committed offsets. */
    final Map<TopicPartition, CommittedOffset> offsets = Collections.unmodifiableMap(committed);
    /** Read-only view of the pending transactional offsets, per producer id. */
    final Map<Long, Map<TopicPartition, PendingTxnOffset>> pendingTxnOffsets = Collections.unmodifiableMap(pending);

    /** A transactional offset and the log offset of its record; a null value is a removal. */
    record PendingTxnOffset(CommittedOffset value, long logOffset) {}

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

    String protocolType() {
        return protocolType;
    }

    /** The strategy of the current generation, null while there is none. */
    String protocolName() {
        return protocolName;
    }

    // ---- state transitions --------------------------------------------------------------------------------

    /** @throws IllegalStateException naming both states when the table does not allow the move */
    private void checkTransition(GroupState next) {
        if (!next.canFollow(state)) {
            throw new IllegalStateException(
                    "Group " + groupId + " cannot move from " + state.displayName() + " to " + next.displayName());
        }
    }

    private void transitionTo(GroupState next, long nowMs) {
        checkTransition(next);
        state = next;
        stateTimestampMs = nowMs;
    }

    /**
     * Enters the join phase (from Empty, Stable or CompletingRebalance): its deadline is the longest rebalance
     * timeout of the members; a rebalance that starts from Empty first waits {@code initialDelayMs} (capped at
     * that deadline) for more members, when the delay is positive.
     *
     * @throws IllegalStateException naming both states from PreparingRebalance or Dead
     */
    void prepareRebalance(long nowMs, int initialDelayMs) {
        boolean fromEmpty = is(GroupState.EMPTY);
        transitionTo(GroupState.PREPARING_REBALANCE, nowMs);
        syncDeadlineMs = -1;
        rebalanceDeadlineMs = nowMs + maxRebalanceTimeoutMs();
        initialDelayUntilMs =
                fromEmpty && initialDelayMs > 0 ? Math.min(nowMs + initialDelayMs, rebalanceDeadlineMs) : -1;
    }

    /**
     * A member arriving during the initial delay pushes it back, up to the rebalance deadline (Kafka's
     * InitialDelayedJoin). The rebalance deadline itself stays where {@link #prepareRebalance} put it, as
     * Kafka's DelayedJoin does: were each newcomer to push it, members arriving faster than the delay (or
     * than the rebalance timeout) would hold the join phase open for ever.
     */
    void extendInitialDelay(long nowMs, int initialDelayMs) {
        if (initialDelayUntilMs >= 0) {
            initialDelayUntilMs = Math.min(nowMs + initialDelayMs, rebalanceDeadlineMs);
        }
    }

    /** Whether no initial delay holds the join phase open at {@code nowMs}. */
    boolean initialDelayOver(long nowMs) {
        return initialDelayUntilMs < 0 || nowMs >= initialDelayUntilMs;
    }

    /** Whether the join phase's deadline has passed at {@code nowMs} (meaningful while PreparingRebalance). */
    boolean joinPhaseExpired(long nowMs) {
        return nowMs >= rebalanceDeadlineMs;
    }

    /** Whether the sync phase has a deadline and it has passed at {@code nowMs}. */
    boolean syncPhaseExpired(long nowMs) {
        return syncDeadlineMs >= 0 && nowMs >= syncDeadlineMs;
    }

    /**
     * Ends the join phase with the next generation (Kafka's initNextGeneration). Without members the group
     * becomes Empty with no strategy and no leader; otherwise the leader is one that rejoined if any did, the
     * strategy is chosen by vote, and the sync phase starts with the longest rebalance timeout as its deadline.
     *
     * @throws IllegalStateException naming both states unless PreparingRebalance, with nothing changed
     */
    void initNextGeneration(long nowMs) {
        GroupState next = hasMembers() ? GroupState.COMPLETING_REBALANCE : GroupState.EMPTY;
        checkTransition(next);
        rebalanceDeadlineMs = -1;
        initialDelayUntilMs = -1;
        generationId++;
        if (next == GroupState.EMPTY) {
            protocolName = null;
            leaderId = null;
            transitionTo(GroupState.EMPTY, nowMs);
            return;
        }
        ensureLeaderAwaitingJoin();
        protocolName = selectProtocol();
        transitionTo(GroupState.COMPLETING_REBALANCE, nowMs);
        syncDeadlineMs = nowMs + maxRebalanceTimeoutMs();
    }

    /**
     * The leader's assignment is stored: the generation is Stable.
     *
     * @throws IllegalStateException naming both states unless CompletingRebalance
     */
    void becomeStable(long nowMs) {
        checkTransition(GroupState.STABLE);
        syncDeadlineMs = -1;
        transitionTo(GroupState.STABLE, nowMs);
    }

    /**
     * The group is deleted or retired: Dead, from any state (Kafka's table allows Dead again), so a caller still
     * holding it retries. Dead is final: no other state follows it.
     */
    void markDead(long nowMs) {
        transitionTo(GroupState.DEAD, nowMs);
    }

    /**
     * Restores the generation of a stored group while the broker opens: members are not restored, so the group
     * stays Empty (in one process, a broker restart means the consumers restarted too).
     *
     * @throws IllegalStateException if the group has members, which a group being loaded never has
     */
    void loadGeneration(GroupRecord.GroupMetadata.Value stored) {
        if (hasMembers()) {
            throw new IllegalStateException("Group " + groupId + " has " + memberMap.size()
                    + " members; a stored generation is only loaded into a group without members");
        }
        generationId = stored.generationId();
        protocolType = stored.protocolType();
        stateTimestampMs = stored.stateTimestampMs();
    }

    /** What the offsets topic stores when a generation begins: type, generation, strategy, leader, time of the last state change. */
    GroupRecord.GroupMetadata.Value storedGeneration(String defaultProtocolType) {
        return new GroupRecord.GroupMetadata.Value(
                protocolType == null ? defaultProtocolType : protocolType,
                generationId,
                protocolName,
                leaderId,
                stateTimestampMs);
    }

    /**
     * A group exists while it has members, committed offsets (or commits on their way to the log, or waiting
     * for their transaction), a generation from a past rebalance, or a rebalance under way.
     */
    boolean exists() {
        return !is(GroupState.DEAD)
                && (hasMembers()
                        || !committed.isEmpty()
                        || !everCommitted.isEmpty()
                        || !pending.isEmpty()
                        || generationId > 0
                        || !is(GroupState.EMPTY));
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

    /**
     * Remembers a member id handed out with MEMBER_ID_REQUIRED (KIP-394) until {@code deadlineMs} (its session
     * timeout), by which the member must join with it.
     */
    void addPendingMember(String memberId, long nowMs, long deadlineMs) {
        prunePendingMembers(nowMs);
        pendingMembers.put(memberId, deadlineMs);
    }

    /** Forgets the member ids handed out with MEMBER_ID_REQUIRED whose deadline passed before {@code nowMs}. */
    void prunePendingMembers(long nowMs) {
        pendingMembers.values().removeIf(deadline -> deadline < nowMs);
    }

    /** Whether a member id handed out with MEMBER_ID_REQUIRED may still join (as of the last prune). */
    boolean hasPendingMembers() {
        return !pendingMembers.isEmpty();
    }

    /**
     * Whether {@code memberId} was handed out and not yet expired at {@code nowMs}; takes it out either way. Every
     * other expired one goes too (each join and each coordinator poll prunes the map, so it holds at most a
     * session timeout's worth).
     */
    boolean takePendingMember(String memberId, long nowMs) {
        prunePendingMembers(nowMs);
        return pendingMembers.remove(memberId) != null;
    }

    boolean hasMembers() {
        return !memberMap.isEmpty();
    }

    MemberMetadata member(String memberId) {
        return memberMap.get(memberId);
    }

    boolean isLeader(String memberId) {
        return memberId.equals(leaderId);
    }

    /** Adds a member; the first member of an empty group sets the group's protocol type. */
    void add(MemberMetadata member, String memberProtocolType) {
        if (memberMap.isEmpty()) {
            protocolType = memberProtocolType;
        }
        memberMap.put(member.memberId, member);
        if (member.isStatic()) {
            instanceHolders.put(member.groupInstanceId, member.memberId);
        }
        if (leaderId == null) {
            leaderId = member.memberId;
        }
    }

    void remove(String memberId) {
        MemberMetadata removed = memberMap.remove(memberId);
        if (removed != null && removed.isStatic() && memberId.equals(instanceHolders.get(removed.groupInstanceId))) {
            instanceHolders.remove(removed.groupInstanceId);
        }
        if (memberId.equals(leaderId)) {
            leaderId = chooseLeader();
        }
    }

    /**
     * A static member restarted under a new member id: {@code replacement} takes {@code oldMemberId}'s instance
     * id and, if the old one led, the leadership; it joins at the end of the join order.
     *
     * @throws IllegalStateException unless {@code oldMemberId} holds {@code replacement}'s instance id
     */
    void replaceStaticMember(String oldMemberId, MemberMetadata replacement) {
        if (!replacement.isStatic() || !oldMemberId.equals(instanceHolders.get(replacement.groupInstanceId))) {
            throw new IllegalStateException(
                    "Member " + oldMemberId + " of group " + groupId + " does not hold instance id "
                            + replacement.groupInstanceId + " that " + replacement.memberId + " would take over");
        }
        memberMap.remove(oldMemberId);
        memberMap.put(replacement.memberId, replacement);
        instanceHolders.put(replacement.groupInstanceId, replacement.memberId);
        if (oldMemberId.equals(leaderId)) {
            leaderId = replacement.memberId;
        }
    }

    /** A new leader after the old one left: prefer a member that is waiting to join, so it gets the member list. */
    private String chooseLeader() {
        for (MemberMetadata m : memberMap.values()) {
            if (m.isAwaitingJoin()) {
                return m.memberId;
            }
        }
        return memberMap.isEmpty() ? null : memberMap.keySet().iterator().next();
    }

    private void ensureLeaderAwaitingJoin() {
        MemberMetadata leader = leaderId == null ? null : memberMap.get(leaderId);
        if (leader == null || !leader.isAwaitingJoin()) {
            leaderId = chooseLeader();
        }
    }

    boolean allMembersAwaitingJoin() {
        for (MemberMetadata m : memberMap.values()) {
            if (!m.isAwaitingJoin()) {
                return false;
            }
        }
        return true;
    }

    int maxRebalanceTimeoutMs() {
        int max = 0;
        for (MemberMetadata m : memberMap.values()) {
            max = Math.max(max, m.rebalanceTimeoutMs);
        }
        return max;
    }

    /**
     * Whether a member with these protocols could join: an empty group takes any type; otherwise the type
     * must match and at least one strategy must be supported by every member and the newcomer.
     */
    boolean supportsProtocols(String type, List<JoinGroupRequest.Protocol> protocols) {
        if (memberMap.isEmpty()) {
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
        for (MemberMetadata m : memberMap.values()) {
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
        for (MemberMetadata m : memberMap.values()) {
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
        return memberMap.values();
    }

    // ---- offsets ------------------------------------------------------------------------------------------

    /** Remembers that {@code partition} was committed, so that deleting the group writes a tombstone for it. */
    void rememberCommitted(TopicPartition partition) {
        everCommitted.add(partition);
    }

    /**
     * Every partition a deletion writes a tombstone for: every one the group ever committed or holds an offset
     * for. Called with the group Dead, once it is out of the coordinator's map.
     */
    Set<TopicPartition> tombstonePartitions() {
        everCommitted.addAll(committed.keySet());
        return Collections.unmodifiableSet(everCommitted);
    }

    /**
     * Sets one committed offset, recording the log offset of its record; a null value (a tombstone) removes it
     * and, as Kafka's replay of a tombstone, drops every pending transactional offset of {@code tp}: those were
     * appended before the tombstone, so a COMMIT marker landing later must not bring the deleted offset back
     * (ones appended after the tombstone are added after this runs, and win as usual).
     */
    void applyOffset(TopicPartition tp, CommittedOffset value, long logOffset) {
        if (value == null) {
            committed.remove(tp);
            offsetPositions.remove(tp);
            for (var offsetsOfProducer : pending.values()) {
                offsetsOfProducer.remove(tp);
            }
        } else {
            committed.put(tp, value);
            offsetPositions.put(tp, logOffset);
        }
    }

    /** The deletion's tombstones are in the log: the group has no offsets any more, pending ones included. */
    void clearOffsets() {
        committed.clear();
        offsetPositions.clear();
        pending.values().forEach(Map::clear);
    }

    /** An offset appended in {@code producerId}'s transaction at {@code logOffset}: pending until its marker. */
    void addPendingTxnOffset(long producerId, TopicPartition tp, CommittedOffset value, long logOffset) {
        pending.computeIfAbsent(producerId, pid -> new ConcurrentHashMap<>())
                .put(tp, new PendingTxnOffset(value, logOffset));
    }

    boolean hasPendingTxnOffsets(long producerId) {
        return pending.containsKey(producerId);
    }

    /** Whether an open transaction holds an offset of {@code tp}, so a fetch that requires stable offsets must wait. */
    boolean hasPendingTxnOffset(TopicPartition tp) {
        for (var offsetsOfProducer : pending.values()) {
            if (offsetsOfProducer.containsKey(tp)) {
                return true;
            }
        }
        return false;
    }

    /**
     * {@code producerId}'s transaction ended: on COMMIT its pending offsets become the committed ones, except
     * where the log holds a newer record for the partition (a later plain commit, or another transaction's
     * offsets appended after them); on ABORT they are dropped.
     */
    void completeTxnOffsets(long producerId, TransactionResult result) {
        Map<TopicPartition, PendingTxnOffset> ended = pending.get(producerId);
        if (ended == null) {
            return;
        }
        if (result == TransactionResult.COMMIT) {
            ended.forEach((tp, p) -> {
                Long current = offsetPositions.get(tp);
                if (current == null || current < p.logOffset()) {
                    applyOffset(tp, p.value(), p.logOffset());
                }
            });
        }
        // Only now: a stable-only fetch reading without the group lock sees the offset pending (and retries) or
        // committed, never neither (it answered "no offset" in between, and a consumer restarted from the reset).
        pending.remove(producerId);
    }

    @Override
    public String toString() {
        return "Group(" + groupId + ", " + state.displayName() + ", generation " + generationId + ", "
                + memberMap.size() + " members)";
    }
}
