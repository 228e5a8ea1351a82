package io.weir.broker.internals.group;

import io.weir.broker.GroupCoordinatorConfig;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.HeartbeatResponse;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.LeaveGroupResponse;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.utils.Time;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.LoggerFactory;

/**
 * The broker's group coordinator for the classic protocol: membership (join, sync, heartbeat, leave), the
 * rebalance state machine of {@link GroupState}, and liveness. Offsets and the admin calls are in
 * {@link OffsetCoordinator}, which shares the groups.
 *
 * <p><b>Design.</b> A rebalance has two phases. In the join phase (PreparingRebalance) the coordinator
 * holds every member's join call until all known members have rejoined or the longest rebalance timeout ran
 * out; members that did not rejoin are dropped. It then bumps the generation, picks the strategy by vote and
 * answers every join, the leader's with the full member list (CompletingRebalance). In the sync phase the
 * leader sends everyone's assignment; the coordinator writes the group's new generation to the offsets topic
 * and answers every sync (Stable). A join, leave or failure in any phase starts over.
 *
 * <p><b>Time.</b> Nothing here sleeps or schedules: deadlines (session, join phase, sync phase, initial
 * delay) are fields compared with the injected {@link Time}, and {@link #poll()} acts on the expired ones.
 * The broker calls {@code poll} from a timer thread; tests call it after advancing a manual clock.
 *
 * <p><b>Threading.</b> Thread-safe. Each group is locked for the duration of a call on it; answers held for
 * later (join, sync) are completed after the lock is released. Static members are tracked by
 * {@code group.instance.id}: a restart that rejoins with the same instance id within the session timeout
 * takes over the old member's assignment without a rebalance, and the old member id is fenced.
 */
public final class GroupCoordinator {
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";

    private final GroupCoordinatorConfig config;
    private final Time time;
    private final GroupStore store;
    private final Executor storeCallbacks;
    private final Supplier<String> uniqueIds;
    final Map<String, Group> groups = new ConcurrentHashMap<>();

    /**
     * @param storeCallbacks runs the continuation of a store append that needs a group lock, off the append
     *                       thread (see {@link GroupStore#append})
     * @param uniqueIds      suffixes for new member ids (random UUIDs in the broker; a counter in tests)
     */
    public GroupCoordinator(
            GroupCoordinatorConfig config,
            Time time,
            GroupStore store,
            Executor storeCallbacks,
            Supplier<String> uniqueIds) {
        this.config = config;
        this.time = time;
        this.store = store;
        this.storeCallbacks = storeCallbacks;
        this.uniqueIds = uniqueIds;
    }

    GroupCoordinatorConfig config() {
        return config;
    }

    Time time() {
        return time;
    }

    GroupStore store() {
        return store;
    }

    /** Runs {@code body} with {@code group} locked, then the answers it queued, with the lock released. */
    static <T> T locked(Group group, Supplier<T> body) {
        T result;
        List<Runnable> answers;
        synchronized (group) {
            result = body.get();
            answers = group.takeDeferred();
        }
        answers.forEach(Runnable::run);
        return result;
    }

    static void locked(Group group, Runnable body) {
        locked(group, () -> {
            body.run();
            return null;
        });
    }

    // ---- join ---------------------------------------------------------------------------------------------

    /** Handles a join; {@code respond} is called once, now or when the join phase ends. */
    public void join(JoinGroupRequest request, Consumer<JoinGroupResponse> respond) {
        join(request, respond, false);
    }

    private void join(JoinGroupRequest request, Consumer<JoinGroupResponse> respond, boolean retried) {
        ApiError invalid = validateJoin(request);
        if (invalid != null) {
            respond.accept(JoinGroupResponse.error(invalid, request.memberId()));
            return;
        }
        boolean newMember = request.memberId().isEmpty();
        Group group = newMember ? groups.computeIfAbsent(request.groupId(), Group::new) : groups.get(request.groupId());
        if (group == null) {
            respond.accept(
                    JoinGroupResponse.error(unknownMember(request.groupId(), request.memberId()), request.memberId()));
            return;
        }
        locked(group, () -> {
            long now = time.milliseconds();
            if (group.is(GroupState.DEAD) && newMember && !retried && groups.get(request.groupId()) != group) {
                // Retired (unused, by the timer) or deleted between the lookup and the lock: the group is gone from
                // the map, so the join goes to a fresh one, as if it had come a moment later (once: should that one
                // go the same way, the client's retry of COORDINATOR_NOT_AVAILABLE takes over).
                group.defer(() -> join(request, respond, true));
            } else if (group.is(GroupState.DEAD)) {
                group.defer(() -> respond.accept(JoinGroupResponse.error(
                        new ApiError(
                                Errors.COORDINATOR_NOT_AVAILABLE,
                                "Group " + request.groupId() + " is being deleted; retry the join"),
                        request.memberId())));
            } else if (!group.supportsProtocols(request.protocolType(), request.protocols())) {
                group.defer(() -> respond.accept(JoinGroupResponse.error(
                        new ApiError(
                                Errors.INCONSISTENT_GROUP_PROTOCOL,
                                "Member of group " + request.groupId() + " with protocol type '"
                                        + request.protocolType()
                                        + "' and strategies " + names(request.protocols())
                                        + " shares no strategy with the group's members "
                                        + "(type '" + group.protocolType() + "', common strategies "
                                        + group.candidateProtocols() + ")"),
                        request.memberId())));
            } else if (newMember && request.requireKnownMemberId() && request.groupInstanceId() == null) {
                // KIP-394: the id first, the membership with the next join, so a join retried after a lost
                // answer does not leave a phantom member behind.
                String memberId = newMemberId(request);
                group.addPendingMember(memberId, now, now + request.sessionTimeoutMs());
                group.defer(() -> respond.accept(JoinGroupResponse.error(
                        new ApiError(
                                Errors.MEMBER_ID_REQUIRED,
                                "Join group " + request.groupId() + " again with the member id " + memberId),
                        memberId)));
            } else if (newMember) {
                joinNewMember(group, request, respond, now, null);
            } else if (group.takePendingMember(request.memberId(), now)) {
                joinNewMember(group, request, respond, now, request.memberId());
            } else {
                rejoinKnownMember(group, request, respond, now);
            }
        });
    }

    private ApiError validateJoin(JoinGroupRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return new ApiError(Errors.INVALID_GROUP_ID, "The group id must not be empty");
        }
        int session = request.sessionTimeoutMs();
        if (session < config.minSessionTimeoutMs() || session > config.maxSessionTimeoutMs()) {
            return new ApiError(
                    Errors.INVALID_SESSION_TIMEOUT,
                    "session.timeout.ms=" + session + " of a member of group "
                            + request.groupId() + " is outside the broker's allowed range ["
                            + config.minSessionTimeoutMs() + ", "
                            + config.maxSessionTimeoutMs()
                            + "] (group.min.session.timeout.ms, group.max.session.timeout.ms)");
        }
        if (request.protocolType() == null
                || request.protocolType().isEmpty()
                || request.protocols().isEmpty()) {
            return new ApiError(
                    Errors.INCONSISTENT_GROUP_PROTOCOL,
                    "A member of group " + request.groupId()
                            + " joined without a protocol type or without any assignment strategy");
        }
        return null;
    }

    /** A fresh member id: the client id (or "consumer") and a unique suffix, as Kafka forms them. */
    private String newMemberId(JoinGroupRequest request) {
        return (request.clientId() == null || request.clientId().isEmpty() ? "consumer" : request.clientId()) + "-"
                + uniqueIds.get();
    }

    /** @param pendingId the id handed out with MEMBER_ID_REQUIRED the member joins with; null to make one */
    private void joinNewMember(
            Group group, JoinGroupRequest request, Consumer<JoinGroupResponse> respond, long now, String pendingId) {
        String instanceId = request.groupInstanceId();
        if (instanceId != null && group.staticMembers.containsKey(instanceId)) {
            replaceStaticMember(group, request, respond, now);
            return;
        }
        if (group.members.size() >= config.maxSize()) {
            group.defer(() -> respond.accept(JoinGroupResponse.error(
                    new ApiError(
                            Errors.GROUP_MAX_SIZE_REACHED,
                            "Group " + group.groupId + " already has " + group.members.size()
                                    + " members (group.max.size)"),
                    "")));
            return;
        }
        String memberId = pendingId != null ? pendingId : newMemberId(request);
        MemberMetadata member = new MemberMetadata(
                memberId,
                instanceId,
                request.clientId(),
                request.sessionTimeoutMs(),
                request.rebalanceTimeoutMs(),
                request.protocols());
        member.awaitingJoin = respond;
        member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
        group.add(member, request.protocolType());
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            group.extendInitialDelay(now, config.initialRebalanceDelayMs());
            tryCompleteJoin(group, now);
        } else {
            prepareRebalance(group, now);
        }
    }

    /**
     * A static member restarted: the new member id takes over the instance id, the old one is fenced. In a
     * Stable group whose strategies did not change, the newcomer gets the old assignment with no rebalance.
     */
    private void replaceStaticMember(
            Group group, JoinGroupRequest request, Consumer<JoinGroupResponse> respond, long now) {
        String oldId = group.staticMembers.get(request.groupInstanceId());
        MemberMetadata old = group.member(oldId);
        String newId = newMemberId(request);
        MemberMetadata member = new MemberMetadata(
                newId,
                request.groupInstanceId(),
                request.clientId(),
                request.sessionTimeoutMs(),
                request.rebalanceTimeoutMs(),
                request.protocols());
        member.assignment = old.assignment;
        member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
        if (old.isAwaitingJoin()) {
            Consumer<JoinGroupResponse> fenced = old.awaitingJoin;
            group.defer(() -> fenced.accept(
                    JoinGroupResponse.error(fencedInstance(group, request.groupInstanceId(), oldId), oldId)));
        }
        if (old.isAwaitingSync()) {
            Consumer<SyncGroupResponse> fenced = old.awaitingSync;
            group.defer(() ->
                    fenced.accept(SyncGroupResponse.error(fencedInstance(group, request.groupInstanceId(), oldId))));
        }
        group.replaceStaticMember(oldId, member);
        // As Kafka: the restart needs no rebalance as long as the group would still choose the same strategy.
        // (The subscription bytes differ anyway: a restarted consumer no longer knows its generation.)
        boolean unchanged = group.protocolName() != null && group.protocolName().equals(group.selectProtocol());
        if (group.is(GroupState.STABLE) && unchanged) {
            // The old assignment stands: answer with the current generation. A returning leader gets
            // the member list as usual (so it can watch the group's topics), but its sync in a Stable group
            // only fetches the stored assignment, so nothing is reassigned (Kafka's KIP-814 does the same).
            JoinGroupResponse answer = joinAnswer(group, newId);
            group.defer(() -> respond.accept(answer));
        } else {
            member.awaitingJoin = respond;
            if (group.is(GroupState.PREPARING_REBALANCE)) {
                tryCompleteJoin(group, now);
            } else {
                prepareRebalance(group, now);
            }
        }
    }

    private void rejoinKnownMember(
            Group group, JoinGroupRequest request, Consumer<JoinGroupResponse> respond, long now) {
        ApiError identity = checkIdentity(group, request.memberId(), request.groupInstanceId());
        if (identity != null) {
            group.defer(() -> respond.accept(JoinGroupResponse.error(identity, request.memberId())));
            return;
        }
        MemberMetadata member = group.member(request.memberId());
        switch (group.state()) {
            case PREPARING_REBALANCE -> updateMemberAndRebalance(group, member, request, respond, now);
            case COMPLETING_REBALANCE -> {
                if (member.matches(request.protocols())) {
                    // A repeat of a join already answered (the answer was lost): answer it again.
                    JoinGroupResponse answer = joinAnswer(group, member.memberId);
                    member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                    group.defer(() -> respond.accept(answer));
                } else {
                    updateMemberAndRebalance(group, member, request, respond, now);
                }
            }
            case STABLE -> {
                if (group.isLeader(member.memberId) || !member.matches(request.protocols())) {
                    // The leader rejoins to rebalance (e.g. it saw new partitions); a changed subscription too.
                    updateMemberAndRebalance(group, member, request, respond, now);
                } else {
                    JoinGroupResponse answer = new JoinGroupResponse(
                            ApiError.NONE,
                            group.generationId,
                            group.protocolName(),
                            group.leaderId,
                            member.memberId,
                            List.of());
                    member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
                    group.defer(() -> respond.accept(answer));
                }
            }
            default -> group.defer(() -> respond.accept(
                    JoinGroupResponse.error(unknownMember(group.groupId, request.memberId()), request.memberId())));
        }
    }

    private void updateMemberAndRebalance(
            Group group,
            MemberMetadata member,
            JoinGroupRequest request,
            Consumer<JoinGroupResponse> respond,
            long now) {
        member.protocols = request.protocols();
        member.sessionTimeoutMs = request.sessionTimeoutMs();
        member.rebalanceTimeoutMs = request.rebalanceTimeoutMs();
        if (member.isAwaitingJoin()) {
            // A second join call while the first still waits: the first is superseded.
            Consumer<JoinGroupResponse> superseded = member.awaitingJoin;
            group.defer(() -> superseded.accept(JoinGroupResponse.error(
                    new ApiError(
                            Errors.REBALANCE_IN_PROGRESS,
                            "A newer join of member " + member.memberId + " of group " + group.groupId
                                    + " replaced this one"),
                    member.memberId)));
        }
        member.awaitingJoin = respond;
        member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            tryCompleteJoin(group, now);
        } else {
            prepareRebalance(group, now);
        }
    }

    /** Starts a rebalance: from Stable, CompletingRebalance or Empty into the join phase. */
    private void prepareRebalance(Group group, long now) {
        if (group.is(GroupState.COMPLETING_REBALANCE)) {
            // Assignments of the generation that never became stable are void; members waiting in sync rejoin.
            for (MemberMetadata m : group.memberList()) {
                m.assignment = MemberMetadata.EMPTY;
                if (m.isAwaitingSync()) {
                    Consumer<SyncGroupResponse> waiting = m.awaitingSync;
                    m.awaitingSync = null;
                    group.defer(() -> waiting.accept(SyncGroupResponse.error(rebalancing(group))));
                }
            }
        }
        group.prepareRebalance(now, config.initialRebalanceDelayMs());
        tryCompleteJoin(group, now);
    }

    private void tryCompleteJoin(Group group, long now) {
        if (group.is(GroupState.PREPARING_REBALANCE) && group.allMembersAwaitingJoin() && group.initialDelayOver(now)) {
            completeJoin(group, now);
        }
    }

    /**
     * Ends the join phase: drops dynamic members that did not rejoin (static ones stay until their session
     * ends, so a restarting instance keeps its place), opens the next generation and answers every join.
     */
    private void completeJoin(Group group, long now) {
        for (MemberMetadata m : new ArrayList<>(group.memberList())) {
            if (!m.isAwaitingJoin() && !m.isStatic()) {
                group.remove(m.memberId);
            }
        }
        group.initNextGeneration(now);
        if (group.is(GroupState.EMPTY)) {
            storeGroup(group);
            return;
        }
        for (MemberMetadata m : group.memberList()) {
            m.heartbeatDeadlineMs = now + m.sessionTimeoutMs;
            if (m.isAwaitingJoin()) {
                Consumer<JoinGroupResponse> waiting = m.awaitingJoin;
                JoinGroupResponse answer = joinAnswer(group, m.memberId);
                m.awaitingJoin = null;
                group.defer(() -> waiting.accept(answer));
            }
        }
    }

    /** The join answer of the current generation; the leader's carries every member's subscription. */
    private static JoinGroupResponse joinAnswer(Group group, String memberId) {
        List<JoinGroupResponse.Member> members = new ArrayList<>();
        if (group.isLeader(memberId)) {
            for (MemberMetadata m : group.memberList()) {
                members.add(
                        new JoinGroupResponse.Member(m.memberId, m.groupInstanceId, m.metadata(group.protocolName())));
            }
        }
        return new JoinGroupResponse(
                ApiError.NONE, group.generationId, group.protocolName(), group.leaderId, memberId, members);
    }

    // ---- sync ---------------------------------------------------------------------------------------------

    /** Handles a sync; {@code respond} is called once, now or when the leader's assignment is stored. */
    public void sync(SyncGroupRequest request, Consumer<SyncGroupResponse> respond) {
        Group group = groups.get(request.groupId());
        if (group == null) {
            respond.accept(SyncGroupResponse.error(unknownMember(request.groupId(), request.memberId())));
            return;
        }
        locked(group, () -> {
            long now = time.milliseconds();
            ApiError error = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
            if (error == null
                    && ((request.protocolType() != null
                                    && !request.protocolType().equals(group.protocolType()))
                            || (request.protocolName() != null
                                    && !request.protocolName().equals(group.protocolName())))) {
                error = new ApiError(
                        Errors.INCONSISTENT_GROUP_PROTOCOL,
                        "Sync of member " + request.memberId() + " names protocol "
                                + request.protocolType() + "/" + request.protocolName() + " but group " + group.groupId
                                + " uses "
                                + group.protocolType() + "/" + group.protocolName());
            }
            if (error == null && group.is(GroupState.PREPARING_REBALANCE)) {
                error = rebalancing(group);
            }
            if (error != null) {
                ApiError e = error;
                group.defer(() -> respond.accept(SyncGroupResponse.error(e)));
                return;
            }
            MemberMetadata member = group.member(request.memberId());
            member.heartbeatDeadlineMs = now + member.sessionTimeoutMs;
            if (group.is(GroupState.STABLE)) {
                SyncGroupResponse answer =
                        new SyncGroupResponse(ApiError.NONE, group.protocolName(), member.assignment);
                group.defer(() -> respond.accept(answer));
                return;
            }
            // A repeated sync replaces the one waiting, which is answered rather than dropped: every call is
            // answered exactly once.
            failSync(
                    group,
                    member,
                    new ApiError(
                            Errors.REBALANCE_IN_PROGRESS,
                            "A newer sync of member " + member.memberId + " of group " + group.groupId
                                    + " replaced this one"));
            member.awaitingSync = respond;
            if (group.isLeader(member.memberId)) {
                completeSync(group, request.assignments());
            }
        });
    }

    /**
     * The leader's assignment arrived: store the new generation, then (off the append thread, with the group
     * locked again) hand out the assignments and become Stable — unless the group moved on meanwhile.
     */
    private void completeSync(Group group, Map<String, byte[]> assignments) {
        int generation = group.generationId;
        store.append(group.groupId, List.of(groupRecord(group)), offset -> {})
                .whenCompleteAsync(
                        (ok, failure) -> locked(group, () -> {
                            if (!group.is(GroupState.COMPLETING_REBALANCE) || group.generationId != generation) {
                                return; // a join or leave restarted the rebalance; its answers went out already
                            }
                            long now = time.milliseconds();
                            if (failure != null) {
                                ApiError error = new ApiError(
                                        Errors.COORDINATOR_NOT_AVAILABLE,
                                        "Could not store generation " + generation + " of group " + group.groupId + ": "
                                                + failure.getMessage());
                                for (MemberMetadata m : group.memberList()) {
                                    failSync(group, m, error);
                                }
                                prepareRebalance(group, now);
                                return;
                            }
                            for (MemberMetadata m : group.memberList()) {
                                byte[] assignment = assignments.get(m.memberId);
                                m.assignment = assignment == null ? MemberMetadata.EMPTY : assignment;
                                if (m.isAwaitingSync()) {
                                    Consumer<SyncGroupResponse> waiting = m.awaitingSync;
                                    SyncGroupResponse answer =
                                            new SyncGroupResponse(ApiError.NONE, group.protocolName(), m.assignment);
                                    m.awaitingSync = null;
                                    group.defer(() -> waiting.accept(answer));
                                }
                            }
                            group.becomeStable(now);
                        }),
                        storeCallbacks);
    }

    private static void failSync(Group group, MemberMetadata m, ApiError error) {
        if (m.isAwaitingSync()) {
            Consumer<SyncGroupResponse> waiting = m.awaitingSync;
            m.awaitingSync = null;
            group.defer(() -> waiting.accept(SyncGroupResponse.error(error)));
        }
    }

    static GroupRecord.GroupMetadata groupRecord(Group group) {
        return new GroupRecord.GroupMetadata(group.groupId, group.storedGeneration(CONSUMER_PROTOCOL_TYPE));
    }

    private void storeGroup(Group group) {
        store.append(group.groupId, List.of(groupRecord(group)), offset -> {}).whenComplete((ok, failure) -> {
            if (failure != null) {
                // Only the generation of an empty group is lost; the next rebalance stores it again.
                LoggerFactory.getLogger(GroupCoordinator.class)
                        .warn("Could not store empty generation of group " + group.groupId, failure);
            }
        });
    }

    // ---- heartbeat and leave ------------------------------------------------------------------------------

    public HeartbeatResponse heartbeat(HeartbeatRequest request) {
        Group group = groups.get(request.groupId());
        if (group == null) {
            return new HeartbeatResponse(unknownMember(request.groupId(), request.memberId()));
        }
        return locked(group, () -> {
            ApiError error = checkMember(group, request.memberId(), request.groupInstanceId(), request.generationId());
            if (error != null) {
                return new HeartbeatResponse(error);
            }
            MemberMetadata member = group.member(request.memberId());
            member.heartbeatDeadlineMs = time.milliseconds() + member.sessionTimeoutMs;
            return new HeartbeatResponse(group.is(GroupState.PREPARING_REBALANCE) ? rebalancing(group) : ApiError.NONE);
        });
    }

    public LeaveGroupResponse leave(LeaveGroupRequest request) {
        Group group = groups.get(request.groupId());
        if (group == null) {
            return new LeaveGroupResponse(
                    new ApiError(Errors.UNKNOWN_MEMBER_ID, "Group " + request.groupId() + " has no members"),
                    List.of());
        }
        return locked(group, () -> {
            long now = time.milliseconds();
            List<LeaveGroupResponse.MemberResponse> results = new ArrayList<>();
            for (LeaveGroupRequest.MemberIdentity who : request.members()) {
                String memberId = who.memberId();
                if ((memberId == null || memberId.isEmpty()) && who.groupInstanceId() != null) {
                    memberId = group.staticMembers.get(who.groupInstanceId());
                }
                ApiError error = memberId == null
                        ? unknownMember(group.groupId, who.groupInstanceId())
                        : checkIdentity(group, memberId, who.groupInstanceId());
                if (error == null) {
                    removeMember(
                            group,
                            group.member(memberId),
                            now,
                            "left the group" + (who.reason() == null ? "" : " (" + who.reason() + ")"));
                }
                results.add(new LeaveGroupResponse.MemberResponse(
                        memberId, who.groupInstanceId(), error == null ? ApiError.NONE : error));
            }
            return new LeaveGroupResponse(ApiError.NONE, results);
        });
    }

    /** Removes a member that left, failed or was fenced, and moves the group on. */
    private void removeMember(Group group, MemberMetadata member, long now, String why) {
        dropMember(group, member, why);
        switch (group.state()) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance(group, now);
            case PREPARING_REBALANCE -> tryCompleteJoin(group, now);
            default -> {}
        }
    }

    /** Answers whatever {@code member} waits for with UNKNOWN_MEMBER_ID and takes it out, leaving the state as it is. */
    private static void dropMember(Group group, MemberMetadata member, String why) {
        ApiError gone = new ApiError(
                Errors.UNKNOWN_MEMBER_ID, "Member " + member.memberId + " of group " + group.groupId + " " + why);
        if (member.isAwaitingJoin()) {
            Consumer<JoinGroupResponse> waiting = member.awaitingJoin;
            member.awaitingJoin = null;
            group.defer(() -> waiting.accept(JoinGroupResponse.error(gone, member.memberId)));
        }
        failSync(group, member, gone);
        group.remove(member.memberId);
    }

    // ---- timers -------------------------------------------------------------------------------------------

    /**
     * Acts on every deadline that has passed by now: members whose session expired are removed, join phases
     * past their deadline complete without the stragglers, initial delays end, and sync phases whose leader
     * never sent the assignment start over without the members that did not sync.
     */
    public void poll() {
        for (Group group : groups.values()) {
            locked(group, () -> expire(group, time.milliseconds()));
        }
    }

    private void expire(Group group, long now) {
        if (group.is(GroupState.DEAD)) {
            return;
        }
        group.prunePendingMembers(now);
        if (retireIfUnused(group, now)) {
            return;
        }
        for (MemberMetadata m : new ArrayList<>(group.memberList())) {
            if (group.members.containsKey(m.memberId) && !m.isAlive(now)) {
                removeMember(
                        group,
                        m,
                        now,
                        "was removed: no heartbeat within its session timeout of " + m.sessionTimeoutMs + " ms");
            }
        }
        if (group.is(GroupState.PREPARING_REBALANCE)) {
            if (group.joinPhaseExpired(now)) {
                completeJoin(group, now);
            } else {
                tryCompleteJoin(group, now);
            }
        } else if (group.is(GroupState.COMPLETING_REBALANCE) && group.syncPhaseExpired(now)) {
            // Every member that did not sync goes, then one rebalance starts: removing them one at a time
            // through removeMember would start the rebalance at the first and keep the others (Kafka removes
            // all pending-sync members at once too).
            for (MemberMetadata m : new ArrayList<>(group.memberList())) {
                if (!m.isAwaitingSync()) {
                    dropMember(group, m, "was removed: it did not sync within the rebalance timeout");
                }
            }
            prepareRebalance(group, now);
        }
    }

    /**
     * Retires a group that holds nothing any more — no members, offsets, generation or rebalance, and no member
     * id handed out with MEMBER_ID_REQUIRED that may still join — so that shells left by refused commits or by
     * ids nobody joined with do not pile up. It is marked Dead first, so a caller still holding it retries.
     *
     * @return whether it was retired
     */
    boolean retireIfUnused(Group group, long now) {
        if (group.exists() || group.hasPendingMembers() || group.is(GroupState.DEAD)) {
            return false;
        }
        group.markDead(now);
        groups.remove(group.groupId, group);
        return true;
    }

    // ---- checks shared with offsets -----------------------------------------------------------------------

    /** The member exists and, if static, still holds its instance id. */
    static ApiError checkIdentity(Group group, String memberId, String groupInstanceId) {
        if (groupInstanceId != null) {
            String holder = group.staticMembers.get(groupInstanceId);
            if (holder != null && !holder.equals(memberId)) {
                return fencedInstance(group, groupInstanceId, memberId);
            }
        }
        if (group.member(memberId) == null) {
            return unknownMember(group.groupId, memberId);
        }
        return null;
    }

    /** {@link #checkIdentity} plus a live group and the current generation. */
    static ApiError checkMember(Group group, String memberId, String groupInstanceId, int generationId) {
        if (group.is(GroupState.DEAD)) {
            return new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + group.groupId + " is being deleted");
        }
        ApiError identity = checkIdentity(group, memberId, groupInstanceId);
        if (identity != null) {
            return identity;
        }
        if (generationId != group.generationId) {
            return new ApiError(
                    Errors.ILLEGAL_GENERATION,
                    "Member " + memberId + " of group " + group.groupId + " sent generation " + generationId
                            + " but the group is at generation " + group.generationId
                            + ": it missed a rebalance and must rejoin");
        }
        return null;
    }

    static ApiError unknownMember(String groupId, String memberId) {
        return new ApiError(
                Errors.UNKNOWN_MEMBER_ID,
                "Group " + groupId + " has no member '" + memberId
                        + "': it was removed (session timeout, leave or rebalance) and must rejoin");
    }

    private static ApiError fencedInstance(Group group, String instanceId, String memberId) {
        return new ApiError(
                Errors.FENCED_INSTANCE_ID,
                "group.instance.id '" + instanceId + "' of group " + group.groupId
                        + " is now held by member " + group.staticMembers.get(instanceId) + "; member " + memberId
                        + " was fenced by a newer instance with the same id and must be closed");
    }

    private static ApiError rebalancing(Group group) {
        return new ApiError(Errors.REBALANCE_IN_PROGRESS, "Group " + group.groupId + " is rebalancing; rejoin");
    }

    private static List<String> names(List<JoinGroupRequest.Protocol> protocols) {
        return protocols.stream().map(JoinGroupRequest.Protocol::name).toList();
    }
}
