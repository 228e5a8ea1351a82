package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.transactions.TransactionResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Offsets committed as part of a transaction ({@code sendOffsetsToTransaction}), over the groups of a
 * {@link GroupCoordinator} (Kafka's GroupCoordinator.handleTxnCommitOffsets and the pending-offset half of
 * GroupMetadata).
 *
 * <p><b>Lifecycle of a transactional offset.</b> A commit is validated with the group locked as Kafka
 * validates one (a live group; the member, when named, exists and holds its static instance id; the
 * generation, when not -1, is the group's; each offset as for a plain commit in {@link OffsetCoordinator}), and
 * appended as a transactional batch of the producer to the group's partition of the offsets topic. Once
 * appended, the offsets are <i>pending</i> for (group, producer id): fetches do not see them. When the
 * producer's COMMIT marker reaches that partition, {@link #onMarker} makes them the committed offsets,
 * except where the log holds a newer record for the same partition (a later plain commit, or another
 * transaction's offsets appended after them); an ABORT marker drops them. Whether the producer's transaction
 * is open and holds the offsets partition is the transaction coordinator's check, made before this one.
 *
 * <p><b>Load.</b> While the broker opens, transactional records are handed to {@link #loadTransactional} and
 * markers to {@link #onMarker} in log order, so the same rules rebuild the same offsets; offsets whose marker
 * is not in the log stay pending until the transaction coordinator finishes their transaction.
 *
 * <p><b>Threading.</b> {@link #commit} locks the group like every group call. Pending offsets are written
 * only by the append thread of the group's partition (appends and markers complete there, in log order) or
 * during load, never under a group lock: see {@link Group}.
 */
public final class TxnOffsetCommits {
    private final GroupCoordinator coordinator;
    private final OffsetCoordinator offsets;
    private final Map<String, Group> groups;

    public TxnOffsetCommits(GroupCoordinator coordinator, OffsetCoordinator offsets) {
        this.coordinator = coordinator;
        this.offsets = offsets;
        this.groups = coordinator.groups;
    }

    /** The partition of the offsets topic whose markers decide {@code groupId}'s transactional offsets. */
    public TopicPartition partitionFor(String groupId) {
        return coordinator.store().partitionFor(groupId);
    }

    /**
     * Validates and appends a transactional offset commit; the future completes once the offsets are pending
     * (or refused), with one result per partition.
     */
    public CompletableFuture<TxnOffsetCommitResponse> commit(TxnOffsetCommitRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new TxnOffsetCommitResponse(OffsetCoordinator.failAll(
                    request.offsets().keySet(),
                    new ApiError(
                            Errors.INVALID_GROUP_ID, "Transactional offsets cannot be committed without a group id"))));
        }
        // As Kafka: a transactional commit may create the group (a producer with no group metadata, generation -1).
        Group group = groups.computeIfAbsent(request.groupId(), Group::new);
        long producerId = request.producerId();
        return GroupCoordinator.locked(
                        group,
                        () -> offsets.writeOffsets(
                                group,
                                checkGroup(group, request),
                                request.offsets(),
                                (records, applied) -> coordinator
                                        .store()
                                        .appendTransactional(
                                                group.groupId, records, producerId, request.producerEpoch(), applied),
                                (tp, value, logOffset) -> group.addPendingTxnOffset(producerId, tp, value, logOffset),
                                "the transactional offsets of group " + group.groupId + " for producer " + producerId))
                .thenApply(TxnOffsetCommitResponse::new);
    }

    /** Kafka's doTxnCommitOffsets checks: only what the request names is enforced. */
    private static ApiError checkGroup(Group group, TxnOffsetCommitRequest request) {
        if (group.is(GroupState.DEAD)) {
            return new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + group.groupId + " is being deleted");
        }
        String memberId = request.memberId() == null ? "" : request.memberId();
        String instanceId = request.groupInstanceId();
        if (instanceId != null) {
            String holder = group.staticMembers.get(instanceId);
            if (holder != null && !holder.equals(memberId)) {
                return new ApiError(
                        Errors.FENCED_INSTANCE_ID,
                        "group.instance.id '" + instanceId + "' of group " + group.groupId
                                + " is held by member " + holder + "; member " + memberId
                                + " was fenced and cannot commit offsets"
                                + " in a transaction: close it");
            }
        }
        if (!memberId.isEmpty() && group.member(memberId) == null) {
            return GroupCoordinator.unknownMember(group.groupId, memberId);
        }
        if (request.generationId() >= 0 && request.generationId() != group.generationId) {
            return new ApiError(
                    Errors.ILLEGAL_GENERATION,
                    "Member " + memberId + " of group " + group.groupId + " sent generation "
                            + request.generationId() + " with its transactional offsets but the group is at generation "
                            + group.generationId + ": it was fenced by a rebalance; abort the transaction and rejoin");
        }
        return null;
    }

    // ---- markers and load ---------------------------------------------------------------------------------

    /**
     * A marker of {@code producerId} was appended to {@code offsetsPartition}: commit or drop that producer's
     * pending offsets in every group of the partition. Runs on the partition's append thread (or during load),
     * after every transactional offset the marker covers was added, since both are appended there in order.
     */
    public void onMarker(TopicPartition offsetsPartition, long producerId, TransactionResult result) {
        for (Group group : groups.values()) {
            if (group.hasPendingTxnOffsets(producerId)
                    && partitionFor(group.groupId).equals(offsetsPartition)) {
                group.completeTxnOffsets(producerId, result);
            }
        }
    }

    /** Replays a transactional offset record of {@code producerId} found at {@code logOffset}, while the broker opens. */
    public void loadTransactional(GroupRecord.OffsetCommit record, long producerId, long logOffset) {
        Group group = groups.computeIfAbsent(record.groupId(), Group::new);
        group.rememberCommitted(record.partition());
        group.addPendingTxnOffset(producerId, record.partition(), record.value(), logOffset);
    }
}
