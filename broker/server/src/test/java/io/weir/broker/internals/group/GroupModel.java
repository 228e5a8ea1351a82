package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A reference model of one classic group, written from the protocol's rules rather than from the
 * coordinator's code, for {@link GroupCoordinatorProperties}. It holds the members in join order, the
 * generation, the state, the deadlines, what each client last learned, the committed offsets, and the
 * calls still waiting for an answer. Each operation predicts the coordinator's answers: an immediate one is
 * returned, a held one is handed to its {@link Expectation} when the model decides the call is answered.
 *
 * <p>Simplifications that keep the model small: every member uses the same session and rebalance timeouts
 * and the one strategy "range", so strategies never conflict and the vote is trivial; only the subscription
 * bytes differ, which decides whether a rejoin changes anything.
 *
 * <p>With {@code heldStore} false, appends complete at once; with it true they queue, in append order,
 * until {@link #storeCompletesNext} or {@link #storeFailsNext}, so the group can move on while a generation
 * or a commit is being written.
 */
final class GroupModel {
    static final String PROTOCOL = "range";

    /** What the coordinator must answer to a held call. */
    interface Expectation<O> {
        void expect(O outcome);
    }

    record JoinOutcome(Errors error, int generation, String memberId, String leaderId, List<String> members) {
        static JoinOutcome error(Errors error) {
            return new JoinOutcome(error, -1, null, null, List.of());
        }
    }

    record SyncOutcome(Errors error, String assignment) {
        static SyncOutcome error(Errors error) {
            return new SyncOutcome(error, "");
        }
    }

    /** A member as the coordinator should hold it. */
    static final class Member {
        final String id;
        final String instanceId;
        String subscription;
        String assignment = "";
        long heartbeatDeadline;
        Expectation<JoinOutcome> awaitingJoin;
        Expectation<SyncOutcome> awaitingSync;

        Member(String id, String instanceId, String subscription) {
            this.id = id;
            this.instanceId = instanceId;
            this.subscription = subscription;
        }
    }

    /** What one client (one member id ever handed out) knows: it keeps sending this after it is removed. */
    static final class Client {
        final String id;
        final String instanceId;
        String subscription;
        int generation = -1;

        Client(String id, String instanceId, String subscription) {
            this.id = id;
            this.instanceId = instanceId;
            this.subscription = subscription;
        }
    }

    final int sessionMs;
    final int rebalanceMs;
    final int initialDelayMs;
    final int maxSize;
    long now;

    GroupState state = GroupState.EMPTY;
    int generation;
    String leader;
    final LinkedHashMap<String, Member> members = new LinkedHashMap<>();
    final Map<String, String> statics = new HashMap<>();
    final LinkedHashMap<String, Client> clients = new LinkedHashMap<>();
    final Map<TopicPartition, Long> committed = new HashMap<>();
    final List<String> transitions = new ArrayList<>();
    /** Appends written but not yet durable, oldest first (only with a held store). */
    final ArrayDeque<Append> appends = new ArrayDeque<>();

    final boolean heldStore;
    private long rebalanceDeadline = -1;
    private long initialDelayUntil = -1;
    private long syncDeadline = -1;
    private int nextId;

    /** What the coordinator appended: a generation on the leader's sync, an emptied group, or a commit. */
    sealed interface Append permits GenerationAppend, EmptyGroupAppend, CommitAppend {}

    record GenerationAppend(int generation, Map<String, String> assignments) implements Append {}

    record EmptyGroupAppend(int generation) implements Append {}

    record CommitAppend(TopicPartition tp, long offset, Expectation<Errors> call) implements Append {}

    GroupModel(long now, int sessionMs, int rebalanceMs, int initialDelayMs, int maxSize, boolean heldStore) {
        this.heldStore = heldStore;
        this.now = now;
        this.sessionMs = sessionMs;
        this.rebalanceMs = rebalanceMs;
        this.initialDelayMs = initialDelayMs;
        this.maxSize = maxSize;
    }

    /** The longest any deadline can lie ahead: waiting this long with no client activity expires all of them. */
    long longestDeadline() {
        return sessionMs + rebalanceMs + initialDelayMs + 1;
    }

    boolean isCurrent(Client c) {
        return members.containsKey(c.id) && c.generation == generation && state != GroupState.COMPLETING_REBALANCE;
    }

    // ---- client calls -------------------------------------------------------------------------------------

    /** A new member (static when {@code instanceId} is not null, and not yet held) joins with an empty member id. */
    JoinOutcome joinNew(String instanceId, String subscription, Expectation<JoinOutcome> call) {
        if (instanceId != null && statics.containsKey(instanceId)) {
            return restartStatic(instanceId, subscription, call);
        }
        if (members.size() >= maxSize) {
            return JoinOutcome.error(Errors.GROUP_MAX_SIZE_REACHED);
        }
        Member m = new Member("m-" + ++nextId, instanceId, subscription);
        clients.put(m.id, new Client(m.id, instanceId, subscription));
        m.awaitingJoin = call;
        m.heartbeatDeadline = now + sessionMs;
        members.put(m.id, m);
        if (instanceId != null) {
            statics.put(instanceId, m.id);
        }
        if (leader == null) {
            leader = m.id;
        }
        if (state == GroupState.PREPARING_REBALANCE) {
            if (initialDelayUntil >= 0) {
                initialDelayUntil = Math.min(now + initialDelayMs, rebalanceDeadline);
            }
            tryCompleteJoin();
        } else {
            prepareRebalance();
        }
        return null;
    }

    /** A static member restarts: a new member id takes over {@code instanceId}, the old one is fenced. */
    private JoinOutcome restartStatic(String instanceId, String subscription, Expectation<JoinOutcome> call) {
        Member old = members.get(statics.get(instanceId));
        Member m = new Member("m-" + ++nextId, instanceId, subscription);
        clients.put(m.id, new Client(m.id, instanceId, subscription));
        m.assignment = old.assignment;
        m.heartbeatDeadline = now + sessionMs;
        answer(old.awaitingJoin, JoinOutcome.error(Errors.FENCED_INSTANCE_ID));
        answer(old.awaitingSync, SyncOutcome.error(Errors.FENCED_INSTANCE_ID));
        boolean wasLeader = old.id.equals(leader);
        members.remove(old.id);
        members.put(m.id, m);
        statics.put(instanceId, m.id);
        if (wasLeader) {
            leader = m.id;
        }
        // Every member offers the one strategy, so the group's choice cannot change: a restart in a Stable
        // group keeps the assignment with no rebalance, leader or not (the leader's answer lists the members).
        if (state == GroupState.STABLE) {
            clients.get(m.id).generation = generation;
            return joinAnswer(m.id);
        }
        m.awaitingJoin = call;
        if (state == GroupState.PREPARING_REBALANCE) {
            tryCompleteJoin();
        } else {
            prepareRebalance();
        }
        return null;
    }

    /** A known member rejoins with {@code subscription}. */
    JoinOutcome rejoin(Client c, String subscription, Expectation<JoinOutcome> call) {
        Errors identity = identity(c);
        if (identity != null) {
            return JoinOutcome.error(identity);
        }
        Member m = members.get(c.id);
        boolean unchanged = m.subscription.equals(subscription);
        switch (state) {
            case COMPLETING_REBALANCE -> {
                if (unchanged) {
                    m.heartbeatDeadline = now + sessionMs;
                    c.generation = generation;
                    return joinAnswer(m.id);
                }
            }
            case STABLE -> {
                if (unchanged && !m.id.equals(leader)) {
                    m.heartbeatDeadline = now + sessionMs;
                    c.generation = generation;
                    return new JoinOutcome(Errors.NONE, generation, m.id, leader, List.of());
                }
            }
            default -> {}
        }
        m.subscription = subscription;
        answer(m.awaitingJoin, JoinOutcome.error(Errors.REBALANCE_IN_PROGRESS));
        m.awaitingJoin = call;
        m.heartbeatDeadline = now + sessionMs;
        if (state == GroupState.PREPARING_REBALANCE) {
            tryCompleteJoin();
        } else {
            prepareRebalance();
        }
        return null;
    }

    /** A sync with the client's generation; {@code assignments} matter only when the client leads. */
    SyncOutcome sync(Client c, Map<String, String> assignments, Expectation<SyncOutcome> call) {
        Errors error = checkMember(c);
        if (error == null && state == GroupState.PREPARING_REBALANCE) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        if (error != null) {
            return SyncOutcome.error(error);
        }
        Member m = members.get(c.id);
        m.heartbeatDeadline = now + sessionMs;
        if (state == GroupState.STABLE) {
            return new SyncOutcome(Errors.NONE, m.assignment);
        }
        answer(m.awaitingSync, SyncOutcome.error(Errors.REBALANCE_IN_PROGRESS));
        m.awaitingSync = call;
        if (m.id.equals(leader)) {
            GenerationAppend append = new GenerationAppend(generation, Map.copyOf(assignments));
            if (heldStore) {
                appends.add(append);
            } else {
                generationStored(append);
            }
        }
        return null;
    }

    /** The leader's generation is durable: hand out the assignments, unless the group moved on meanwhile. */
    private void generationStored(GenerationAppend append) {
        if (state != GroupState.COMPLETING_REBALANCE || generation != append.generation()) {
            return;
        }
        for (Member each : members.values()) {
            each.assignment = append.assignments().getOrDefault(each.id, "");
            answer(each.awaitingSync, new SyncOutcome(Errors.NONE, each.assignment));
            each.awaitingSync = null;
        }
        syncDeadline = -1;
        transitionTo(GroupState.STABLE);
    }

    /** The oldest held append becomes durable. */
    void storeCompletesNext() {
        Append append = appends.remove();
        if (append instanceof GenerationAppend g) {
            generationStored(g);
        } else if (append instanceof CommitAppend c) {
            committed.put(c.tp(), c.offset());
            c.call().expect(Errors.NONE);
        }
    }

    /** The oldest held append fails: a generation that could not be stored is rebalanced again. */
    void storeFailsNext() {
        Append append = appends.remove();
        if (append instanceof GenerationAppend g) {
            if (state == GroupState.COMPLETING_REBALANCE && generation == g.generation()) {
                for (Member each : members.values()) {
                    answer(each.awaitingSync, SyncOutcome.error(Errors.COORDINATOR_NOT_AVAILABLE));
                    each.awaitingSync = null;
                }
                prepareRebalance();
            }
        } else if (append instanceof CommitAppend c) {
            c.call().expect(Errors.COORDINATOR_NOT_AVAILABLE);
        }
    }

    Errors heartbeat(Client c) {
        Errors error = checkMember(c);
        if (error != null) {
            return error;
        }
        members.get(c.id).heartbeatDeadline = now + sessionMs;
        return state == GroupState.PREPARING_REBALANCE ? Errors.REBALANCE_IN_PROGRESS : Errors.NONE;
    }

    Errors leave(Client c) {
        Errors identity = identity(c);
        if (identity == null) {
            removeMember(members.get(c.id));
        }
        return identity == null ? Errors.NONE : identity;
    }

    /** A commit from a member with {@code generationSent}; null when accepted and held by the store. */
    Errors commit(Client c, int generationSent, TopicPartition tp, long offset, Expectation<Errors> call) {
        Errors error = identity(c);
        if (error == null && generationSent != generation) {
            error = Errors.ILLEGAL_GENERATION;
        }
        if (error == null && state == GroupState.COMPLETING_REBALANCE) {
            error = Errors.REBALANCE_IN_PROGRESS;
        }
        return error != null ? error : accept(tp, offset, call);
    }

    /** A commit with generation -1 and no member id; null when accepted and held by the store. */
    Errors simpleCommit(TopicPartition tp, long offset, Expectation<Errors> call) {
        return !members.isEmpty() ? Errors.NON_EMPTY_GROUP : accept(tp, offset, call);
    }

    private Errors accept(TopicPartition tp, long offset, Expectation<Errors> call) {
        if (heldStore) {
            appends.add(new CommitAppend(tp, offset, call));
            return null;
        }
        committed.put(tp, offset);
        return Errors.NONE;
    }

    /** The clock moved to {@code newNow} and the coordinator polled. */
    void advanceTo(long newNow) {
        now = newNow;
        for (Member m : new ArrayList<>(members.values())) {
            boolean alive = m.awaitingJoin != null || now < m.heartbeatDeadline;
            if (members.get(m.id) == m && !alive) {
                removeMember(m);
            }
        }
        if (state == GroupState.PREPARING_REBALANCE) {
            if (now >= rebalanceDeadline) {
                completeJoin();
            } else {
                tryCompleteJoin();
            }
        } else if (state == GroupState.COMPLETING_REBALANCE && now >= syncDeadline) {
            for (Member m : new ArrayList<>(members.values())) {
                if (m.awaitingSync == null) {
                    drop(m);
                }
            }
            prepareRebalance();
        }
    }

    // ---- the rules ----------------------------------------------------------------------------------------

    private Errors identity(Client c) {
        if (c.instanceId != null
                && statics.containsKey(c.instanceId)
                && !statics.get(c.instanceId).equals(c.id)) {
            return Errors.FENCED_INSTANCE_ID;
        }
        return members.containsKey(c.id) ? null : Errors.UNKNOWN_MEMBER_ID;
    }

    private Errors checkMember(Client c) {
        Errors identity = identity(c);
        if (identity != null) {
            return identity;
        }
        return c.generation == generation ? null : Errors.ILLEGAL_GENERATION;
    }

    private void transitionTo(GroupState next) {
        assertTrue(next.canFollow(state), "model moved " + state + " -> " + next);
        transitions.add(state + "->" + next);
        state = next;
    }

    private void prepareRebalance() {
        if (state == GroupState.COMPLETING_REBALANCE) {
            for (Member m : members.values()) {
                m.assignment = "";
                answer(m.awaitingSync, SyncOutcome.error(Errors.REBALANCE_IN_PROGRESS));
                m.awaitingSync = null;
            }
        }
        boolean fromEmpty = state == GroupState.EMPTY;
        transitionTo(GroupState.PREPARING_REBALANCE);
        syncDeadline = -1;
        rebalanceDeadline = now + (members.isEmpty() ? 0 : rebalanceMs);
        initialDelayUntil = fromEmpty && initialDelayMs > 0 ? Math.min(now + initialDelayMs, rebalanceDeadline) : -1;
        tryCompleteJoin();
    }

    private void tryCompleteJoin() {
        boolean allJoined = members.values().stream().allMatch(m -> m.awaitingJoin != null);
        if (state == GroupState.PREPARING_REBALANCE
                && allJoined
                && (initialDelayUntil < 0 || now >= initialDelayUntil)) {
            completeJoin();
        }
    }

    /** Dynamic members that did not rejoin go; static ones stay for their session. */
    private void completeJoin() {
        for (Member m : new ArrayList<>(members.values())) {
            if (m.awaitingJoin == null && m.instanceId == null) {
                forget(m);
            }
        }
        rebalanceDeadline = -1;
        initialDelayUntil = -1;
        generation++;
        if (members.isEmpty()) {
            leader = null;
            transitionTo(GroupState.EMPTY);
            if (heldStore) {
                appends.add(new EmptyGroupAppend(generation));
            }
            return;
        }
        Member current = members.get(leader);
        if (current == null || current.awaitingJoin == null) {
            leader = chooseLeader();
        }
        transitionTo(GroupState.COMPLETING_REBALANCE);
        syncDeadline = now + rebalanceMs;
        for (Member m : members.values()) {
            m.heartbeatDeadline = now + sessionMs;
            if (m.awaitingJoin != null) {
                clients.get(m.id).generation = generation;
                answer(m.awaitingJoin, joinAnswer(m.id));
                m.awaitingJoin = null;
            }
        }
    }

    private JoinOutcome joinAnswer(String memberId) {
        List<String> list = memberId.equals(leader) ? List.copyOf(members.keySet()) : List.of();
        return new JoinOutcome(Errors.NONE, generation, memberId, leader, list);
    }

    private void removeMember(Member m) {
        drop(m);
        switch (state) {
            case STABLE, COMPLETING_REBALANCE -> prepareRebalance();
            case PREPARING_REBALANCE -> tryCompleteJoin();
            default -> {}
        }
    }

    /** Answers what {@code m} waits for with UNKNOWN_MEMBER_ID and forgets it, the state unchanged. */
    private void drop(Member m) {
        answer(m.awaitingJoin, JoinOutcome.error(Errors.UNKNOWN_MEMBER_ID));
        answer(m.awaitingSync, SyncOutcome.error(Errors.UNKNOWN_MEMBER_ID));
        m.awaitingJoin = null;
        m.awaitingSync = null;
        forget(m);
    }

    private void forget(Member m) {
        members.remove(m.id);
        if (m.instanceId != null && m.id.equals(statics.get(m.instanceId))) {
            statics.remove(m.instanceId);
        }
        if (m.id.equals(leader)) {
            leader = chooseLeader();
        }
    }

    /** A member waiting to join leads, so that it receives the member list; else the oldest member. */
    private String chooseLeader() {
        for (Member m : members.values()) {
            if (m.awaitingJoin != null) {
                return m.id;
            }
        }
        return members.isEmpty() ? null : members.keySet().iterator().next();
    }

    private static <O> void answer(Expectation<O> call, O outcome) {
        if (call != null) {
            call.expect(outcome);
        }
    }
}
