package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.CloseOptions;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Assignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.GroupSubscription;
import io.weir.clients.consumer.ConsumerPartitionAssignor.RebalanceProtocol;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.internals.Futures;
import io.weir.common.TopicPartition;
import io.weir.common.errors.FencedInstanceIdException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.HeartbeatResponse;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.utils.Time;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A subscribed consumer's membership in its group: joining and syncing (and, as leader, running the
 * assignor), applying the assignment with the rebalance listener, noticing when the group must rebalance
 * (heartbeat answers, subscription or partition-count changes), and leaving. Offsets are in
 * {@link OffsetCommitter}.
 *
 * <p><b>Rebalance.</b> {@link #ensureActiveGroup} runs on the consumer's thread inside {@code poll}: it
 * prepares (eager strategies revoke everything, after an auto-commit; a member whose generation was lost
 * reports its partitions lost), sends the join, and keeps the join or sync in flight across polls until it
 * is answered, so a short poll timeout never abandons a rebalance half way. Under a cooperative strategy the
 * member keeps its partitions while rebalancing, revokes only those the new assignment moved away, and
 * rejoins at once so they can be handed out in a second round.
 *
 * <p><b>Threading.</b> Two threads: the consumer's thread, and the {@link HeartbeatThread}. They share
 * {@code state}, {@code generation}, {@code rejoinNeeded}, {@code lastPollNanos} and {@code fatal}, all
 * guarded by this object's monitor; everything else is confined to the consumer's thread. Listener callbacks
 * run on the consumer's thread with the monitor released.
 */
final class ConsumerCoordinator {
    private static final Logger LOG = LoggerFactory.getLogger(ConsumerCoordinator.class);

    enum MemberState {
        UNJOINED,
        PREPARING_REBALANCE,
        COMPLETING_REBALANCE,
        STABLE
    }

    record Generation(int generationId, String memberId, String protocolName) {
        static final Generation NONE =
                new Generation(ConsumerGroupMetadata.UNKNOWN_GENERATION, ConsumerGroupMetadata.UNKNOWN_MEMBER, null);
    }

    /** How the consumer blocks on a broker answer: parks until done, the deadline, or a wakeup (which throws). */
    interface Awaiter {
        boolean await(CompletableFuture<?> future, long deadlineNanos);
    }

    private final String groupId;
    private final ConsumerConfig.GroupOptions options;
    private final String clientId;
    private final BrokerApi broker;
    private final Time time;
    private final SubscriptionState subscriptions;
    private final List<ConsumerPartitionAssignor> assignors;
    private final Awaiter awaiter;
    private final Runnable onAssignmentChange;
    private final long metadataMaxAgeNanos;
    private final long requestTimeoutMs;
    private final long retryBackoffNanos;
    private OffsetCommitter committer;

    // ---- shared with the heartbeat thread, guarded by this ----
    private MemberState state = MemberState.UNJOINED;
    private Generation generation = Generation.NONE;
    private boolean rejoinNeeded = true;
    private long lastPollNanos;
    private WeirException fatal;

    // ---- consumer thread only ----
    private HeartbeatThread heartbeat;
    private CompletableFuture<JoinGroupResponse> pendingJoin;
    private CompletableFuture<SyncGroupResponse> pendingSync;
    private ConsumerPartitionAssignor chosenAssignor;
    private boolean leaderOfGeneration;
    /** Partition counts of the topics this member (as leader: the whole group) was assigned from. */
    private Map<String, Integer> assignedFrom = Map.of();

    private Set<String> groupTopics = Set.of();
    private long nextMetadataCheckNanos;
    private long retryNotBeforeNanos;

    ConsumerCoordinator(
            ConsumerConfig config,
            BrokerApi broker,
            Time time,
            SubscriptionState subscriptions,
            List<ConsumerPartitionAssignor> assignors,
            Awaiter awaiter,
            Runnable onAssignmentChange) {
        this.groupId = config.groupId();
        this.options = config.group();
        this.clientId = config.clientId();
        this.broker = broker;
        this.time = time;
        this.subscriptions = subscriptions;
        this.assignors = List.copyOf(assignors);
        this.awaiter = awaiter;
        this.onAssignmentChange = onAssignmentChange;
        this.metadataMaxAgeNanos = TimeUnit.MILLISECONDS.toNanos(config.metadataMaxAgeMs());
        this.requestTimeoutMs = config.requestTimeoutMs();
        this.retryBackoffNanos = TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs());
        this.lastPollNanos = time.nanoseconds();
    }

    void setCommitter(OffsetCommitter committer) {
        this.committer = committer;
    }

    String groupId() {
        return groupId;
    }

    synchronized Generation generation() {
        return generation;
    }

    synchronized MemberState state() {
        return state;
    }

    ConsumerGroupMetadata groupMetadata() {
        Generation g = generation();
        return new ConsumerGroupMetadata(
                groupId, g.generationId(), g.memberId(), Optional.ofNullable(options.groupInstanceId()));
    }

    /** Something changed that the group must hear about: rejoin at the next poll. */
    synchronized void requestRejoin() {
        rejoinNeeded = true;
    }

    /** The member is no longer part of any generation (removed, fenced from its generation, or timed out). */
    synchronized void resetGeneration() {
        generation = Generation.NONE;
        state = MemberState.UNJOINED;
        rejoinNeeded = true;
    }

    private synchronized boolean rejoinNeeded() {
        return rejoinNeeded;
    }

    private synchronized void throwIfFatal() {
        if (fatal != null) {
            throw fatal;
        }
    }

    // ---- poll ---------------------------------------------------------------------------------------------

    /**
     * Called at the start of every {@code poll}: records the poll for {@code max.poll.interval.ms}, checks
     * metadata for changes the group must see, and drives the rebalance until {@code deadlineNanos}.
     *
     * @return whether the member is in a stable generation (its assignment is current)
     */
    boolean poll(long deadlineNanos) {
        synchronized (this) {
            lastPollNanos = time.nanoseconds();
        }
        throwIfFatal();
        if (!subscriptions.hasAutoAssignedPartitions()) {
            return true;
        }
        maybeCheckMetadata();
        return ensureActiveGroup(deadlineNanos);
    }

    private boolean ensureActiveGroup(long deadlineNanos) {
        while (pendingJoin != null || pendingSync != null || rejoinNeeded()) {
            throwIfFatal();
            if (pendingJoin == null && pendingSync == null) {
                if (time.nanoseconds() < retryNotBeforeNanos) {
                    return false;
                }
                prepareJoin();
                sendJoin();
            }
            if (pendingJoin != null) {
                if (!awaiter.await(pendingJoin, deadlineNanos)) {
                    return false;
                }
                JoinGroupResponse answer = pendingJoin.join();
                pendingJoin = null;
                onJoinAnswer(answer);
            }
            if (pendingSync != null) {
                if (!awaiter.await(pendingSync, deadlineNanos)) {
                    return false;
                }
                SyncGroupResponse answer = pendingSync.join();
                pendingSync = null;
                onSyncAnswer(answer);
            }
        }
        return state() == MemberState.STABLE;
    }

    /**
     * Before a join: a member that lost its generation reports its partitions lost; under an eager strategy a
     * member revokes everything (committing first); under a cooperative one it keeps what it owns, except
     * partitions of topics it no longer subscribes to.
     */
    private void prepareJoin() {
        Set<TopicPartition> owned = subscriptions.assigned();
        if (owned.isEmpty()) {
            return;
        }
        if (generation().generationId() == ConsumerGroupMetadata.UNKNOWN_GENERATION) {
            losePartitions(owned);
            return;
        }
        if (protocol() == RebalanceProtocol.EAGER) {
            revokePartitions(owned);
        } else {
            Set<TopicPartition> unsubscribed = new LinkedHashSet<>();
            for (TopicPartition tp : owned) {
                if (!subscriptions.subscription().contains(tp.topic())) {
                    unsubscribed.add(tp);
                }
            }
            if (!unsubscribed.isEmpty()) {
                revokePartitions(unsubscribed);
            }
        }
    }

    /** The rebalance protocol the member is using: that of the chosen assignor, else of the preferred one. */
    private RebalanceProtocol protocol() {
        ConsumerPartitionAssignor a = chosenAssignor != null ? chosenAssignor : assignors.get(0);
        return a.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE) && commonlyCooperative()
                ? RebalanceProtocol.COOPERATIVE
                : RebalanceProtocol.EAGER;
    }

    /** Cooperative only if every configured assignor supports it, as Kafka decides. */
    private boolean commonlyCooperative() {
        for (ConsumerPartitionAssignor a : assignors) {
            if (!a.supportedProtocols().contains(RebalanceProtocol.COOPERATIVE)) {
                return false;
            }
        }
        return true;
    }

    private void revokePartitions(Set<TopicPartition> revoked) {
        committer.commitBeforeRevoke(revoked);
        Set<TopicPartition> keep = subscriptions.assigned();
        keep.removeAll(revoked);
        subscriptions.assignFromSubscribed(keep);
        onAssignmentChange.run();
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (listener != null) {
            listener.onPartitionsRevoked(List.copyOf(revoked));
        }
    }

    private void losePartitions(Set<TopicPartition> lost) {
        subscriptions.assignFromSubscribed(List.of());
        onAssignmentChange.run();
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (listener != null) {
            listener.onPartitionsLost(List.copyOf(lost));
        }
    }

    private void sendJoin() {
        if (heartbeat == null) {
            heartbeat = new HeartbeatThread(
                    this,
                    options.heartbeatIntervalMs(),
                    "weir-heartbeat-" + groupId + (clientId.isEmpty() ? "" : "-" + clientId));
            heartbeat.start();
        }
        boolean cooperative = protocol() == RebalanceProtocol.COOPERATIVE;
        List<TopicPartition> owned = cooperative ? List.copyOf(subscriptions.assigned()) : List.of();
        Generation g;
        synchronized (this) {
            g = generation;
            state = MemberState.PREPARING_REBALANCE;
            rejoinNeeded = false;
        }
        List<String> topics = new ArrayList<>(new java.util.TreeSet<>(subscriptions.subscription()));
        List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
        for (ConsumerPartitionAssignor a : assignors) {
            Subscription subscription = new Subscription(
                    topics,
                    a.subscriptionUserData(Set.copyOf(topics)),
                    owned,
                    options.groupInstanceId(),
                    g.generationId());
            protocols.add(
                    new JoinGroupRequest.Protocol(a.name(), ConsumerProtocol.serializeSubscription(subscription)));
        }
        pendingJoin = broker.joinGroup(new JoinGroupRequest(
                groupId,
                options.sessionTimeoutMs(),
                options.maxPollIntervalMs(),
                g.memberId(),
                options.groupInstanceId(),
                clientId,
                ConsumerProtocol.PROTOCOL_TYPE,
                protocols));
    }

    private void onJoinAnswer(JoinGroupResponse answer) {
        ApiError error = answer.error();
        if (!error.isSuccess()) {
            handleGroupError(error, "join");
            return;
        }
        chosenAssignor = assignor(answer.protocolName());
        synchronized (this) {
            generation = new Generation(answer.generationId(), answer.memberId(), answer.protocolName());
            state = MemberState.COMPLETING_REBALANCE;
        }
        leaderOfGeneration = answer.isLeader();
        Map<String, byte[]> assignments = leaderOfGeneration ? lead(answer) : Map.of();
        pendingSync = broker.syncGroup(new SyncGroupRequest(
                groupId,
                answer.generationId(),
                answer.memberId(),
                options.groupInstanceId(),
                ConsumerProtocol.PROTOCOL_TYPE,
                answer.protocolName(),
                assignments));
    }

    private ConsumerPartitionAssignor assignor(String name) {
        for (ConsumerPartitionAssignor a : assignors) {
            if (a.name().equals(name)) {
                return a;
            }
        }
        throw new IllegalStateException("The group chose strategy '" + name + "', which this consumer never offered");
    }

    /** As leader: every member's subscription in, every member's assignment out. */
    private Map<String, byte[]> lead(JoinGroupResponse answer) {
        Map<String, Subscription> subscriptionsByMember = new HashMap<>();
        Set<String> allTopics = new HashSet<>();
        for (JoinGroupResponse.Member m : answer.members()) {
            Subscription s = ConsumerProtocol.deserializeSubscription(m.metadata(), m.memberId(), m.groupInstanceId());
            subscriptionsByMember.put(m.memberId(), s);
            allTopics.addAll(s.topics());
        }
        Map<String, Integer> partitionsPerTopic = partitionCounts(allTopics);
        ConsumerPartitionAssignor.GroupAssignment result =
                chosenAssignor.assign(partitionsPerTopic, new GroupSubscription(subscriptionsByMember));
        Map<String, byte[]> out = new HashMap<>();
        result.groupAssignment()
                .forEach((member, assignment) -> out.put(member, ConsumerProtocol.serializeAssignment(assignment)));
        groupTopics = Set.copyOf(allTopics);
        assignedFrom = partitionsPerTopic;
        return out;
    }

    private void onSyncAnswer(SyncGroupResponse answer) {
        if (!answer.error().isSuccess()) {
            handleGroupError(answer.error(), "sync");
            return;
        }
        Assignment assignment = ConsumerProtocol.deserializeAssignment(answer.assignment());
        Set<TopicPartition> assigned = new LinkedHashSet<>();
        for (TopicPartition tp : assignment.partitions()) {
            if (subscriptions.subscription().contains(tp.topic())) {
                assigned.add(tp);
            } else {
                requestRejoin(); // assigned from a subscription this member has since changed
            }
        }
        synchronized (this) {
            state = MemberState.STABLE;
        }
        chosenAssignor.onAssignment(assignment, groupMetadata());
        if (!leaderOfGeneration) {
            groupTopics = subscriptions.subscription();
            assignedFrom = partitionCounts(groupTopics);
        }
        scheduleMetadataCheck(time.nanoseconds(), assignedFrom);
        Set<TopicPartition> owned = subscriptions.assigned();
        Set<TopicPartition> added = new LinkedHashSet<>(assigned);
        added.removeAll(owned);
        Set<TopicPartition> revoked = new LinkedHashSet<>(owned);
        revoked.removeAll(assigned);
        ConsumerRebalanceListener listener = subscriptions.listener();
        if (!revoked.isEmpty()) {
            // Cooperative: give these up now, then rejoin so the group can hand them to their new owner.
            revokePartitions(revoked);
            requestRejoin();
        }
        subscriptions.assignFromSubscribed(assigned);
        onAssignmentChange.run();
        committer.onAssigned();
        if (listener != null) {
            listener.onPartitionsAssigned(List.copyOf(added));
        }
    }

    /**
     * Errors of a join or sync: rejoin (as the same member, or as a new one when the broker forgot this
     * member), or fail the consumer for good when the group can never accept it.
     */
    private void handleGroupError(ApiError error, String call) {
        switch (error.error()) {
            case REBALANCE_IN_PROGRESS -> requestRejoin();
            case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> resetGeneration();
            case COORDINATOR_NOT_AVAILABLE, REQUEST_TIMED_OUT -> {
                requestRejoin();
                retryNotBeforeNanos = time.nanoseconds() + retryBackoffNanos;
            }
            case FENCED_INSTANCE_ID -> {
                WeirException e = new FencedInstanceIdException(
                        "The " + call + " of group " + groupId + " was refused: " + error.message());
                synchronized (this) {
                    fatal = e;
                }
                throw e;
            }
            default -> {
                synchronized (this) {
                    state = MemberState.UNJOINED;
                    rejoinNeeded = true;
                }
                // Invalid session timeout, no common strategy, bad group id, group full: nothing a retry fixes.
                throw error.exception();
            }
        }
    }

    // ---- metadata -----------------------------------------------------------------------------------------

    /**
     * Every {@code metadata.max.age.ms}: re-match a pattern subscription, and compare the partition counts the
     * assignment was made from with today's; any change means the group must rebalance.
     */
    private void maybeCheckMetadata() {
        long now = time.nanoseconds();
        boolean neverMatched = subscriptions.pattern() != null
                && subscriptions.subscription().isEmpty()
                && generation().memberId().isEmpty();
        if (now < nextMetadataCheckNanos && !neverMatched) {
            return;
        }
        nextMetadataCheckNanos = now + metadataMaxAgeNanos;
        if (subscriptions.pattern() != null) {
            Set<String> matched = new HashSet<>();
            for (String topic : allTopics()) {
                if (subscriptions.pattern().matcher(topic).matches()
                        && !(options.excludeInternalTopics() && topic.startsWith("__"))) {
                    matched.add(topic);
                }
            }
            if (subscriptions.changeSubscription(matched)) {
                requestRejoin();
            }
        }
        if (state() == MemberState.STABLE) {
            Set<String> watched = new HashSet<>(groupTopics);
            watched.addAll(subscriptions.subscription());
            Map<String, Integer> counts = partitionCounts(watched);
            if (!counts.equals(assignedFrom)) {
                requestRejoin();
            }
            scheduleMetadataCheck(now, counts);
        }
    }

    /**
     * When to look at the metadata next: after {@code metadata.max.age.ms}, or after {@code retry.backoff.ms} while
     * a topic subscribed to by name does not exist, so that its creation (by a producer, say) starts a rebalance at
     * once, as Kafka's consumer keeps refreshing the metadata of unknown topics.
     */
    private void scheduleMetadataCheck(long now, Map<String, Integer> counts) {
        boolean missing = subscriptions.pattern() == null && !counts.keySet().containsAll(subscriptions.subscription());
        nextMetadataCheckNanos = now + (missing ? retryBackoffNanos : metadataMaxAgeNanos);
    }

    /** Partition counts of the topics that exist among {@code topics}. */
    private Map<String, Integer> partitionCounts(Collection<String> topics) {
        if (topics.isEmpty()) {
            return Map.of();
        }
        MetadataResponse response = Futures.await(
                broker.metadata(new MetadataRequest(List.copyOf(topics), false)),
                requestTimeoutMs,
                "metadata of " + topics);
        Map<String, Integer> out = new TreeMap<>();
        response.topics().forEach((name, md) -> {
            if (md.error().isSuccess()) {
                out.put(name, md.partitions());
            }
        });
        return out;
    }

    private Set<String> allTopics() {
        MetadataResponse response =
                Futures.await(broker.metadata(MetadataRequest.allTopics()), requestTimeoutMs, "metadata of all topics");
        return response.topics().keySet();
    }

    // ---- heartbeat thread ---------------------------------------------------------------------------------

    /**
     * One beat, on the heartbeat thread: leaves the group if the consumer stopped polling, else sends a
     * heartbeat and turns its answer into a rejoin request, a lost generation or a fatal fencing.
     */
    void heartbeatTick() {
        Generation g;
        boolean pollTimedOut;
        synchronized (this) {
            if (state != MemberState.STABLE && state != MemberState.COMPLETING_REBALANCE) {
                return;
            }
            g = generation;
            long sincePoll = time.nanoseconds() - lastPollNanos;
            pollTimedOut = sincePoll > TimeUnit.MILLISECONDS.toNanos(options.maxPollIntervalMs());
            if (pollTimedOut) {
                LOG.warn("Consumer " + g.memberId() + " of group " + groupId + " did not poll for "
                        + TimeUnit.NANOSECONDS.toMillis(sincePoll) + " ms, more than max.poll.interval.ms="
                        + options.maxPollIntervalMs()
                        + "; it leaves the group and its partitions will be reassigned");
                generation = Generation.NONE;
                state = MemberState.UNJOINED;
                rejoinNeeded = true;
            }
        }
        if (pollTimedOut) {
            if (options.groupInstanceId() == null) {
                // A static member just goes quiet: its session timeout decides, so a quick restart keeps its place.
                broker.leaveGroup(new LeaveGroupRequest(
                        groupId,
                        List.of(new LeaveGroupRequest.MemberIdentity(
                                g.memberId(), null, "consumer poll timeout has expired"))));
            }
            return;
        }
        HeartbeatResponse answer = Futures.await(
                broker.heartbeat(
                        new HeartbeatRequest(groupId, g.generationId(), g.memberId(), options.groupInstanceId())),
                requestTimeoutMs,
                "heartbeat of group " + groupId);
        synchronized (this) {
            if (!generation.equals(g)) {
                return; // the member moved on while the heartbeat was in flight
            }
            switch (answer.error().error()) {
                case NONE -> {}
                case REBALANCE_IN_PROGRESS -> rejoinNeeded = true;
                case UNKNOWN_MEMBER_ID, ILLEGAL_GENERATION -> {
                    generation = Generation.NONE;
                    state = MemberState.UNJOINED;
                    rejoinNeeded = true;
                }
                case FENCED_INSTANCE_ID -> fatal = new FencedInstanceIdException("Heartbeat of group " + groupId
                        + " was refused: " + answer.error().message());
                default -> LOG.debug("Heartbeat of group " + groupId + " failed: " + answer.error());
            }
        }
    }

    // ---- leaving ------------------------------------------------------------------------------------------

    /**
     * Gives the partitions up (revoked if the member still has its generation, lost otherwise) and leaves the
     * group, unless the member is static: then it only goes quiet, so a restart within the session timeout
     * keeps its partitions without a rebalance. {@code operation} overrides that default either way.
     */
    void leaveGroup(String reason, CloseOptions.GroupMembershipOperation operation) {
        Set<TopicPartition> owned = subscriptions.hasAutoAssignedPartitions() ? subscriptions.assigned() : Set.of();
        Generation g = generation();
        if (!owned.isEmpty()) {
            if (g.generationId() == ConsumerGroupMetadata.UNKNOWN_GENERATION) {
                losePartitions(owned);
            } else {
                revokePartitions(owned);
            }
        }
        boolean leave =
                switch (operation) {
                    case LEAVE_GROUP -> true;
                    case REMAIN_IN_GROUP -> false;
                    case DEFAULT -> options.groupInstanceId() == null;
                };
        if (leave && !g.memberId().isEmpty()) {
            try {
                Futures.await(
                        broker.leaveGroup(new LeaveGroupRequest(
                                groupId,
                                List.of(new LeaveGroupRequest.MemberIdentity(
                                        g.memberId(), options.groupInstanceId(), reason)))),
                        requestTimeoutMs,
                        "leave of group " + groupId);
            } catch (WeirException e) {
                LOG.warn("Could not leave group " + groupId + "; its session timeout will remove the member", e);
            }
        }
        pendingJoin = null;
        pendingSync = null;
        resetGeneration();
    }

    void close() {
        if (heartbeat != null) {
            heartbeat.shutdown();
        }
    }
}
