package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.OffsetCommitCallback;
import io.weir.clients.internals.Futures;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.FencedInstanceIdException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.RebalanceInProgressException;
import io.weir.common.errors.RetriableException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.utils.Time;
import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A consumer's committed offsets: {@code commitSync}, {@code commitAsync} (callbacks run later on the
 * consumer's thread, in commit order), {@code committed}, auto-commit every {@code auto.commit.interval.ms},
 * and the lookup that starts a newly assigned partition at its committed offset.
 *
 * <p>A subscribed member commits with its generation and member id, so the broker refuses a commit from a
 * member that was rebalanced away; the refusal is a {@link CommitFailedException} that says why. A consumer
 * with manual assignment commits with generation -1, which only an empty group accepts.
 *
 * <p>Confined to the consumer's thread.
 */
final class OffsetCommitter {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCommitter.class);

    private record PendingCommit(
            CompletableFuture<OffsetCommitResponse> response,
            Map<TopicPartition, OffsetAndMetadata> offsets,
            OffsetCommitCallback callback,
            ConsumerCoordinator.Generation generation) {}

    private final ConsumerConfig config;
    private final BrokerApi broker;
    private final Time time;
    private final SubscriptionState subscriptions;
    private final ConsumerCoordinator coordinator;
    private final ConsumerCoordinator.Awaiter awaiter;
    private final Deque<PendingCommit> inFlight = new ArrayDeque<>();
    private long nextAutoCommitNanos;

    OffsetCommitter(
            ConsumerConfig config,
            BrokerApi broker,
            Time time,
            SubscriptionState subscriptions,
            ConsumerCoordinator coordinator,
            ConsumerCoordinator.Awaiter awaiter) {
        this.config = config;
        this.broker = broker;
        this.time = time;
        this.subscriptions = subscriptions;
        this.coordinator = coordinator;
        this.awaiter = awaiter;
        onAssigned();
    }

    /** The positions of every assigned partition with one: what auto-commit and {@code commitSync()} commit. */
    Map<TopicPartition, OffsetAndMetadata> consumedOffsets() {
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        subscriptions.consumedPositions().forEach((tp, position) -> out.put(tp, new OffsetAndMetadata(position)));
        return out;
    }

    // ---- commit -------------------------------------------------------------------------------------------

    /**
     * Commits {@code offsets} and waits for the answer, retrying a retriable failure until the deadline; then
     * waits for the async commits sent before it and runs their callbacks, as Kafka does, so that their effects
     * are visible when this returns.
     *
     * @throws CommitFailedException the group rebalanced away from this member; it rejoins at the next poll
     * @throws RebalanceInProgressException the group is rebalancing; poll (to rejoin), then commit again
     * @throws IllegalClientStateException naming the partition when it is not assigned to this consumer
     * @throws TimeoutException when the deadline passes first
     */
    void commitSync(Map<TopicPartition, OffsetAndMetadata> offsets, long deadlineNanos) {
        invokeCompletedCallbacks();
        if (offsets.isEmpty()) {
            awaitInFlight(deadlineNanos);
            return;
        }
        checkAssigned(offsets.keySet());
        while (true) {
            ConsumerCoordinator.Generation generation = generationForCommit();
            CompletableFuture<OffsetCommitResponse> response = broker.offsetCommit(request(offsets, generation));
            if (!awaiter.await(response, deadlineNanos)) {
                throw new TimeoutException(
                        "Timed out committing offsets " + offsets.keySet() + " of group " + coordinator.groupId());
            }
            WeirException failure = outcome(Futures.getNow(response), generation);
            if (failure == null) {
                awaitInFlight(deadlineNanos);
                return;
            }
            if (!(failure instanceof RetriableException)
                    || failure instanceof RebalanceInProgressException
                    || time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs()) >= deadlineNanos) {
                throw failure;
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs()));
        }
    }

    /** Sends the commit and returns; {@code callback} (if any) runs in a later call on this thread. */
    void commitAsync(Map<TopicPartition, OffsetAndMetadata> offsets, OffsetCommitCallback callback) {
        invokeCompletedCallbacks();
        if (offsets.isEmpty()) {
            if (callback != null) {
                callback.onComplete(offsets, null);
            }
            return;
        }
        checkAssigned(offsets.keySet());
        ConsumerCoordinator.Generation generation;
        try {
            generation = generationForCommit();
        } catch (CommitFailedException e) {
            if (callback != null) {
                callback.onComplete(offsets, e);
            }
            return;
        }
        inFlight.add(new PendingCommit(
                broker.offsetCommit(request(offsets, generation)), Map.copyOf(offsets), callback, generation));
    }

    /** Runs the callbacks of finished async commits, oldest first, stopping at the first still in flight. */
    void invokeCompletedCallbacks() {
        while (!inFlight.isEmpty() && inFlight.peek().response().isDone()) {
            PendingCommit done = inFlight.poll();
            WeirException failure;
            try {
                failure = outcome(Futures.getNow(done.response()), done.generation());
            } catch (WeirException e) {
                failure = e;
            }
            if (done.callback() != null) {
                done.callback().onComplete(done.offsets(), failure);
            } else if (failure != null) {
                LOG.warn("Asynchronous offset commit of group " + coordinator.groupId() + " failed", failure);
            }
        }
    }

    /** Waits (until the deadline) for every async commit still in flight and runs their callbacks. */
    void awaitInFlight(long deadlineNanos) {
        for (PendingCommit p : inFlight) {
            if (!awaiter.await(p.response(), deadlineNanos)) {
                break;
            }
        }
        invokeCompletedCallbacks();
    }

    private void checkAssigned(Collection<TopicPartition> partitions) {
        for (TopicPartition tp : partitions) {
            if (!subscriptions.isAssigned(tp)) {
                throw new IllegalClientStateException("Cannot commit an offset for " + tp
                        + ": it is not assigned to this consumer " + "(assignment: " + subscriptions.assigned() + ")");
            }
        }
    }

    private ConsumerCoordinator.Generation generationForCommit() {
        if (!subscriptions.hasAutoAssignedPartitions()) {
            return ConsumerCoordinator.Generation.NONE;
        }
        ConsumerCoordinator.Generation generation = coordinator.generation();
        if (generation.generationId() == ConsumerGroupMetadata.UNKNOWN_GENERATION) {
            throw new CommitFailedException(
                    "Offsets cannot be committed to group " + coordinator.groupId() + ": this consumer "
                            + "is not in an active generation of the group (it was removed, or is still joining); poll() to rejoin, "
                            + "then commit what it processes from its new assignment");
        }
        return generation;
    }

    private OffsetCommitRequest request(
            Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerCoordinator.Generation generation) {
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> out = new LinkedHashMap<>();
        offsets.forEach((tp, om) -> out.put(
                tp,
                new OffsetCommitRequest.CommittedOffset(
                        om.offset(), om.leaderEpoch().orElse(-1), om.metadata(), -1L)));
        return new OffsetCommitRequest(
                coordinator.groupId(),
                generation.generationId(),
                generation.memberId(),
                config.group().groupInstanceId(),
                out);
    }

    /** Null on success, else the exception the caller should see; a lost generation also resets the member. */
    private WeirException outcome(OffsetCommitResponse response, ConsumerCoordinator.Generation generation) {
        for (Map.Entry<TopicPartition, ApiError> e : response.results().entrySet()) {
            ApiError error = e.getValue();
            if (error.isSuccess()) {
                continue;
            }
            switch (error.error()) {
                case ILLEGAL_GENERATION, UNKNOWN_MEMBER_ID -> {
                    if (coordinator.generation().equals(generation)) {
                        coordinator.resetGeneration();
                    }
                    return new CommitFailedException("Offset commit to group " + coordinator.groupId()
                            + " was refused: "
                            + error.message()
                            + ". The group has rebalanced and may have given these partitions to another "
                            + "member; usually the time between polls exceeded max.poll.interval.ms ("
                            + config.group().maxPollIntervalMs() + " ms) or heartbeats stopped for session.timeout.ms ("
                            + config.group().sessionTimeoutMs() + " ms). The next poll rejoins the group.");
                }
                case REBALANCE_IN_PROGRESS -> {
                    coordinator.requestRejoin();
                    return new RebalanceInProgressException("Offset commit to group " + coordinator.groupId()
                            + " was refused while the group rebalances: " + error.message()
                            + ". Poll to complete the rebalance, then commit again.");
                }
                case FENCED_INSTANCE_ID -> {
                    return new FencedInstanceIdException(error.message());
                }
                default -> {
                    return error.exception();
                }
            }
        }
        return null;
    }

    // ---- auto-commit and revocation -----------------------------------------------------------------------

    void onAssigned() {
        nextAutoCommitNanos = time.nanoseconds()
                + TimeUnit.MILLISECONDS.toNanos(config.group().autoCommitIntervalMs());
    }

    /** From poll: commit consumed positions asynchronously once the interval has passed. */
    void maybeAutoCommit() {
        if (!config.group().enableAutoCommit() || time.nanoseconds() < nextAutoCommitNanos) {
            return;
        }
        onAssigned();
        if (subscriptions.hasAutoAssignedPartitions()
                && coordinator.generation().generationId() == ConsumerGroupMetadata.UNKNOWN_GENERATION) {
            return; // not in a generation: the commit would be refused; the rebalance commits before revoking
        }
        commitAsync(consumedOffsets(), null);
    }

    /**
     * Before partitions are revoked (rebalance, unsubscribe, close): with auto-commit on, commit their
     * positions synchronously so the next owner starts where this one stopped. A failure is logged, not
     * thrown: the revocation goes ahead, and the next owner re-reads the uncommitted tail.
     */
    void commitBeforeRevoke(Set<TopicPartition> revoked) {
        if (!config.group().enableAutoCommit()) {
            return;
        }
        Map<TopicPartition, OffsetAndMetadata> offsets = new LinkedHashMap<>(consumedOffsets());
        offsets.keySet().retainAll(revoked);
        try {
            commitSync(offsets, time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.defaultApiTimeoutMs()));
        } catch (WeirException e) {
            LOG.warn("Auto-commit of " + offsets.keySet() + " before revoking them failed", e);
        }
    }

    // ---- committed offsets --------------------------------------------------------------------------------

    /**
     * The committed offsets of {@code partitions}; a partition without one maps to null, as in Kafka. The consumer
     * asks for stable offsets only (KIP-447) and waits, retrying every {@code retry.backoff.ms}, while a transaction
     * holds a new offset for one of them: starting from the offset before it would re-read what that transaction
     * consumed. Whatever the isolation level, as Kafka 4's consumer does (its coordinator always sets
     * {@code require_stable}): so an offset a transaction committed is seen once its markers are written, and the
     * clients behave alike on both brokers (the suite in kafka-peer-tests found the difference).
     */
    Map<TopicPartition, OffsetAndMetadata> committed(Set<TopicPartition> partitions, long deadlineNanos) {
        boolean requireStable = true;
        OffsetFetchResponse answer;
        while (true) {
            CompletableFuture<OffsetFetchResponse> response = broker.offsetFetch(
                    new OffsetFetchRequest(coordinator.groupId(), List.copyOf(partitions), requireStable));
            if (!awaiter.await(response, deadlineNanos)) {
                throw new TimeoutException(
                        "Timed out fetching committed offsets of " + partitions + " in group " + coordinator.groupId());
            }
            answer = Futures.getNow(response);
            if (!answer.error().isSuccess()) {
                throw answer.error().exception();
            }
            ApiError unstable = answer.offsets().values().stream()
                    .map(OffsetFetchResponse.PartitionData::error)
                    .filter(e -> !e.isSuccess())
                    .findFirst()
                    .orElse(null);
            if (unstable == null) {
                break;
            }
            if (time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs()) >= deadlineNanos) {
                throw new TimeoutException("Timed out fetching committed offsets of " + partitions + " in group "
                        + coordinator.groupId() + ": " + unstable.message());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(config.retryBackoffMs()));
        }
        Map<TopicPartition, OffsetAndMetadata> out = new LinkedHashMap<>();
        for (TopicPartition tp : partitions) {
            OffsetFetchResponse.PartitionData data = answer.offsets().get(tp);
            out.put(
                    tp,
                    data == null || data.offset() < 0
                            ? null
                            : new OffsetAndMetadata(
                                    data.offset(),
                                    data.leaderEpoch() < 0 ? Optional.empty() : Optional.of(data.leaderEpoch()),
                                    data.metadata()));
        }
        return out;
    }

    /** Starts each newly assigned partition at its committed offset; those without one fall to auto.offset.reset. */
    void refreshCommittedOffsets(long deadlineNanos) {
        List<TopicPartition> awaiting = subscriptions.awaitingCommittedOffsets();
        if (awaiting.isEmpty()) {
            return;
        }
        committed(Set.copyOf(awaiting), deadlineNanos)
                .forEach((tp, om) -> subscriptions.committedOffsetKnown(tp, om == null ? null : om.offset()));
    }
}
