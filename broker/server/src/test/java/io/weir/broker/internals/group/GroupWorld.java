package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.GroupCoordinatorConfig;
import io.weir.broker.internals.group.GroupModel.Client;
import io.weir.broker.internals.group.GroupModel.JoinOutcome;
import io.weir.broker.internals.group.GroupModel.SyncOutcome;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.utils.MockTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The coordinator and {@link GroupModel} side by side, for {@link GroupCoordinatorProperties}: each client
 * call or clock advance goes to the model first (which predicts the answers) and then to the coordinator,
 * whose answers are recorded by probes. The invariant checks compare the two after every step.
 *
 * <p>The coordinator is built as the broker builds it, with a manual clock, a direct executor, member ids
 * from a counter and an {@link InMemoryGroupStore} that completes appends at once or holds them.
 * Single-threaded.
 */
final class GroupWorld {
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 25_000;
    static final int MAX_SIZE = 4;
    /** How often {@link #advanceWhileHeartbeating} heartbeats, as a client's heartbeat thread would. */
    static final int HEARTBEAT_INTERVAL_MS = 3_000;

    /** A join call: its answers from the coordinator and what the model says it must be. */
    static final class JoinProbe implements Consumer<JoinGroupResponse>, GroupModel.Expectation<JoinOutcome> {
        final String call;
        final List<JoinGroupResponse> answers = new ArrayList<>();
        JoinOutcome expected;

        JoinProbe(String call) {
            this.call = call;
        }

        @Override
        public void accept(JoinGroupResponse r) {
            answers.add(r);
        }

        @Override
        public void expect(JoinOutcome outcome) {
            assertTrue(expected == null, "the model answered " + call + " twice");
            expected = outcome;
        }

        void check() {
            assertEquals(
                    expected == null ? 0 : 1,
                    answers.size(),
                    call + ": answers " + answers + ", model expects " + expected);
            if (expected != null) {
                assertEquals(expected, actual(answers.get(0)), call);
            }
        }

        private JoinOutcome actual(JoinGroupResponse r) {
            if (r.error().error() != Errors.NONE) {
                return JoinOutcome.error(r.error().error());
            }
            assertEquals(GroupModel.PROTOCOL, r.protocolName(), call);
            return new JoinOutcome(
                    Errors.NONE,
                    r.generationId(),
                    r.memberId(),
                    r.leaderId(),
                    r.members().stream().map(JoinGroupResponse.Member::memberId).toList());
        }
    }

    static final class SyncProbe implements Consumer<SyncGroupResponse>, GroupModel.Expectation<SyncOutcome> {
        final String call;
        final List<SyncGroupResponse> answers = new ArrayList<>();
        SyncOutcome expected;

        SyncProbe(String call) {
            this.call = call;
        }

        @Override
        public void accept(SyncGroupResponse r) {
            answers.add(r);
        }

        @Override
        public void expect(SyncOutcome outcome) {
            assertTrue(expected == null, "the model answered " + call + " twice");
            expected = outcome;
        }

        void check() {
            assertEquals(
                    expected == null ? 0 : 1,
                    answers.size(),
                    call + ": answers " + answers + ", model expects " + expected);
            if (expected != null) {
                SyncGroupResponse r = answers.get(0);
                assertEquals(
                        expected,
                        new SyncOutcome(r.error().error(), new String(r.assignment(), StandardCharsets.UTF_8)),
                        call);
            }
        }
    }

    /** A commit's answer, held by the store or not, and what the model says it must be. */
    static final class CommitProbe implements GroupModel.Expectation<Errors> {
        final String call;
        final TopicPartition tp;
        /** Set once the call is sent, after the model has seen it. */
        CompletableFuture<OffsetCommitResponse> answer;

        Errors expected;

        CommitProbe(String call, TopicPartition tp) {
            this.call = call;
            this.tp = tp;
        }

        @Override
        public void expect(Errors outcome) {
            assertTrue(expected == null, "the model answered " + call + " twice");
            expected = outcome;
        }

        void check() {
            assertEquals(
                    expected != null,
                    answer.isDone(),
                    call + " answered when the model says, model expects " + expected);
            if (expected != null) {
                assertEquals(expected, answer.join().results().get(tp).error(), call);
            }
        }
    }

    final MockTime time = new MockTime();
    final InMemoryGroupStore store = new InMemoryGroupStore();
    final GroupCoordinator coordinator;
    final OffsetCoordinator offsets;
    final GroupModel model;
    private final List<JoinProbe> joins = new ArrayList<>();
    private final List<SyncProbe> syncs = new ArrayList<>();
    private final List<CommitProbe> commits = new ArrayList<>();
    private GroupState lastState = GroupState.EMPTY;
    private int lastGeneration;
    private int subscriptions;
    private int instances;

    GroupWorld(int initialDelayMs, boolean heldStore) {
        AtomicInteger ids = new AtomicInteger();
        GroupCoordinatorConfig config = new GroupCoordinatorConfig(
                1_000,
                60_000,
                initialDelayMs,
                MAX_SIZE,
                64,
                1,
                GroupCoordinatorConfig.DEFAULTS.offsetsTopicSegmentBytes(),
                5_000);
        coordinator =
                new GroupCoordinator(config, time, store, Runnable::run, () -> Integer.toString(ids.incrementAndGet()));
        offsets = new OffsetCoordinator(coordinator);
        model = new GroupModel(time.milliseconds(), SESSION_MS, REBALANCE_MS, initialDelayMs, MAX_SIZE, heldStore);
        if (heldStore) {
            store.mode(InMemoryGroupStore.Mode.HOLD);
        }
    }

    @Override
    public String toString() {
        return "GroupWorld(" + model.state + ", generation " + model.generation + ", members " + model.members.keySet()
                + ", leader " + model.leader + ", transitions " + model.transitions + ")";
    }

    private static JoinGroupRequest joinRequest(String memberId, String instanceId, String subscription) {
        return new JoinGroupRequest(
                GroupFixture.GROUP,
                SESSION_MS,
                REBALANCE_MS,
                memberId,
                instanceId,
                "m",
                "consumer",
                List.of(new JoinGroupRequest.Protocol(
                        GroupModel.PROTOCOL, subscription.getBytes(StandardCharsets.UTF_8))));
    }

    private String newSubscription() {
        return "sub-" + ++subscriptions;
    }

    private JoinProbe join(String what, JoinGroupRequest request, Function<JoinProbe, JoinOutcome> model) {
        JoinProbe probe = new JoinProbe(what + " #" + (joins.size() + syncs.size()));
        joins.add(probe);
        JoinOutcome immediate = model.apply(probe);
        if (immediate != null) {
            probe.expect(immediate);
        }
        coordinator.join(request, probe);
        return probe;
    }

    void joinNew(boolean isStatic) {
        String instance = isStatic ? "i" + ++instances : null;
        String subscription = newSubscription();
        join(
                "join of new " + (isStatic ? instance : "dynamic member"),
                joinRequest("", instance, subscription),
                probe -> model.joinNew(instance, subscription, probe));
    }

    void restartStatic(String instance, boolean change) {
        if (!model.statics.containsKey(instance)) {
            return; // only in a shrunk chain that no longer made this instance
        }
        Client holder = model.clients.get(model.statics.get(instance));
        String subscription = change ? newSubscription() : holder.subscription;
        join(
                "restart of " + instance,
                joinRequest("", instance, subscription),
                probe -> model.joinNew(instance, subscription, probe));
    }

    void rejoin(String id, boolean change) {
        Client c = model.clients.get(id);
        if (c == null) {
            return; // only in a shrunk chain that no longer made this client
        }
        if (change) {
            c.subscription = newSubscription();
        }
        join(
                "rejoin of " + id,
                joinRequest(id, c.instanceId, c.subscription),
                probe -> model.rejoin(c, c.subscription, probe));
    }

    /** {@code leader} syncs an assignment for every member; in a shrunk chain it may no longer lead. */
    void leaderSync(String leader) {
        Map<String, String> assignment = new HashMap<>();
        model.members.keySet().forEach(m -> assignment.put(m, m + "@" + model.generation));
        sync(leader, assignment);
    }

    void sync(String id, Map<String, String> assignment) {
        Client c = model.clients.get(id);
        if (c == null) {
            return; // only in a shrunk chain that no longer made this client
        }
        SyncProbe probe = new SyncProbe("sync of " + id + " #" + (joins.size() + syncs.size()));
        syncs.add(probe);
        SyncOutcome immediate = model.sync(c, assignment, probe);
        if (immediate != null) {
            probe.expect(immediate);
        }
        Map<String, byte[]> bytes = new HashMap<>();
        assignment.forEach((m, a) -> bytes.put(m, a.getBytes(StandardCharsets.UTF_8)));
        coordinator.sync(
                new SyncGroupRequest(
                        GroupFixture.GROUP, c.generation, id, c.instanceId, "consumer", GroupModel.PROTOCOL, bytes),
                probe);
    }

    void heartbeat(String id) {
        Client c = model.clients.get(id);
        if (c == null) {
            return; // only in a shrunk chain that no longer made this client
        }
        Errors expected = model.heartbeat(c);
        Errors actual = coordinator
                .heartbeat(new HeartbeatRequest(GroupFixture.GROUP, c.generation, id, c.instanceId))
                .error()
                .error();
        assertEquals(expected, actual, "heartbeat of " + id);
    }

    void leave(String id) {
        Client c = model.clients.get(id);
        if (c == null) {
            return; // only in a shrunk chain that no longer made this client
        }
        Errors expected = model.leave(c);
        var response = coordinator.leave(new LeaveGroupRequest(
                GroupFixture.GROUP, List.of(new LeaveGroupRequest.MemberIdentity(id, c.instanceId, "property"))));
        assertEquals(Errors.NONE, response.error().error());
        assertEquals(expected, response.members().get(0).error().error(), "leave of " + id);
    }

    void advance(long ms) {
        time.sleep(ms);
        model.advanceTo(time.milliseconds());
        coordinator.poll();
    }

    void advanceWhileHeartbeating(long ms, List<String> beating) {
        for (long left = ms; left > 0; left -= HEARTBEAT_INTERVAL_MS) {
            advance(Math.min(left, HEARTBEAT_INTERVAL_MS));
            beating.forEach(this::heartbeat);
        }
    }

    void commit(String id, boolean stale, TopicPartition tp, long offset) {
        Client c = model.clients.get(id);
        if (c == null) {
            return; // only in a shrunk chain that no longer made this client
        }
        int generation = stale ? c.generation - 1 : c.generation;
        boolean current = model.isCurrent(c) && !stale;
        CommitProbe probe = commit(
                "commit by " + id + " with generation " + generation,
                tp,
                offset,
                new OffsetCommitRequest(
                        GroupFixture.GROUP, generation, id, c.instanceId, Map.of(tp, GroupFixture.offset(offset))),
                call -> model.commit(c, generation, tp, offset, call));
        boolean refused =
                probe.answer.isDone() && probe.answer.join().results().get(tp).error() != Errors.NONE;
        assertEquals(
                current,
                !refused,
                "a commit is accepted exactly when its member is current (member, same generation, not completing)");
    }

    void simpleCommit(TopicPartition tp, long offset) {
        commit(
                "commit without generation",
                tp,
                offset,
                new OffsetCommitRequest(GroupFixture.GROUP, -1, "", null, Map.of(tp, GroupFixture.offset(offset))),
                call -> model.simpleCommit(tp, offset, call));
    }

    private CommitProbe commit(
            String what,
            TopicPartition tp,
            long offset,
            OffsetCommitRequest request,
            Function<CommitProbe, Errors> model) {
        CommitProbe probe = new CommitProbe(what + " of " + tp + "@" + offset + " #" + commits.size(), tp);
        commits.add(probe);
        Errors immediate = model.apply(probe);
        if (immediate != null) {
            probe.expect(immediate);
        }
        probe.answer = offsets.commit(request);
        probe.check();
        return probe;
    }

    void storeCompletesNext() {
        model.storeCompletesNext();
        store.completeNext();
    }

    void storeFailsNext() {
        model.storeFailsNext();
        store.failNext();
    }

    /** Lets every deadline pass with no client activity: all held calls must be answered, the group empty. */
    void settle() {
        for (int round = 0; round < 4; round++) {
            while (!model.appends.isEmpty()) {
                storeCompletesNext();
            }
            advance(model.longestDeadline());
            callsAnsweredAsModelSays();
            agreesWithModel();
            pendingAppendsMatchModel();
        }
        while (!model.appends.isEmpty()) {
            storeCompletesNext();
        }
        callsAnsweredAsModelSays();
        offsetsMatchModel();
        for (JoinProbe p : joins) {
            assertNotNull(p.expected, p.call + " still waits after every deadline passed");
        }
        for (SyncProbe p : syncs) {
            assertNotNull(p.expected, p.call + " still waits after every deadline passed");
        }
        for (CommitProbe p : commits) {
            assertNotNull(p.expected, p.call + " still waits after every append completed");
        }
        assertEquals(GroupState.EMPTY, group().state());
    }

    // ---- invariants ------------------------------------------------------------------------------------

    private Group group() {
        Group g = coordinator.groups.get(GroupFixture.GROUP);
        return g != null ? g : new Group(GroupFixture.GROUP);
    }

    void agreesWithModel() {
        Group g = group();
        assertEquals(model.state, g.state(), "state");
        assertEquals(model.generation, g.generationId, "generation");
        assertEquals(List.copyOf(model.members.keySet()), List.copyOf(g.members.keySet()), "members in join order");
        assertEquals(model.leader, g.leaderId, "leader");
        assertEquals(model.statics, g.staticMembers, "static members");
        for (GroupModel.Member m : model.members.values()) {
            MemberMetadata actual = g.member(m.id);
            assertEquals(m.awaitingJoin != null, actual.isAwaitingJoin(), m.id + " waits in join");
            assertEquals(m.awaitingSync != null, actual.isAwaitingSync(), m.id + " waits in sync");
            assertEquals(m.heartbeatDeadline, actual.heartbeatDeadlineMs, m.id + " session deadline");
        }
    }

    void transitionsFollowTable() {
        GroupState now = group().state();
        assertTrue(reachable(lastState, now), "moved " + lastState + " -> " + now + " off the transition table");
        assertTrue(now != GroupState.DEAD, "nothing here deletes the group");
        lastState = now;
    }

    /** Whether {@code to} is {@code from} or reachable from it along GroupState's table. */
    private static boolean reachable(GroupState from, GroupState to) {
        Set<GroupState> seen = EnumSet.of(from);
        List<GroupState> frontier = new ArrayList<>(List.of(from));
        while (!frontier.isEmpty()) {
            GroupState s = frontier.remove(frontier.size() - 1);
            for (GroupState next : GroupState.values()) {
                if (next.canFollow(s) && seen.add(next)) {
                    frontier.add(next);
                }
            }
        }
        return seen.contains(to);
    }

    void generationNeverDecreases() {
        int now = group().generationId;
        assertTrue(now >= lastGeneration, "generation went from " + lastGeneration + " to " + now);
        lastGeneration = now;
    }

    void leaderIsMember() {
        Group g = group();
        if (g.is(GroupState.STABLE) || g.is(GroupState.COMPLETING_REBALANCE)) {
            assertTrue(g.members.containsKey(g.leaderId), "leader " + g.leaderId + " of " + g + " is not a member");
        }
        if (!g.hasMembers()) {
            assertEquals(null, g.leaderId, "a group without members has no leader");
        }
    }

    void identitiesConsistent() {
        Group g = group();
        List<String> described = g.memberList().stream().map(m -> m.memberId).toList();
        assertEquals(described.size(), new HashSet<>(described).size(), "member ids unique");
        Set<String> holders = new HashSet<>(g.staticMembers.values());
        assertEquals(g.staticMembers.size(), holders.size(), "an instance id per member");
        g.staticMembers.forEach((instance, id) -> {
            MemberMetadata m = g.member(id);
            assertNotNull(m, "static " + instance + " maps to non-member " + id);
            assertEquals(
                    instance, m.groupInstanceId, "static " + instance + " maps to a member with another instance id");
        });
        for (MemberMetadata m : g.memberList()) {
            if (m.isStatic()) {
                assertEquals(
                        m.memberId,
                        g.staticMembers.get(m.groupInstanceId),
                        "static member " + m + " holds its instance id");
            }
        }
    }

    void callsAnsweredAsModelSays() {
        joins.forEach(JoinProbe::check);
        syncs.forEach(SyncProbe::check);
        commits.forEach(CommitProbe::check);
    }

    void pendingAppendsMatchModel() {
        assertEquals(model.appends.size(), store.pendingCount(), "appends the store holds: model " + model.appends);
    }

    void offsetsMatchModel() {
        if (!coordinator.groups.containsKey(GroupFixture.GROUP)) {
            assertTrue(model.committed.isEmpty());
            return;
        }
        OffsetFetchResponse fetched = offsets.fetch(new OffsetFetchRequest(GroupFixture.GROUP, null));
        assertEquals(Errors.NONE, fetched.error().error());
        Map<TopicPartition, Long> actual = new HashMap<>();
        fetched.offsets().forEach((tp, data) -> actual.put(tp, data.offset()));
        assertEquals(model.committed, actual, "committed offsets");
    }
}
