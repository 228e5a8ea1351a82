package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.DeleteGroupsRequest;
import io.weir.common.protocol.DeleteGroupsResponse;
import io.weir.common.protocol.DescribeGroupsRequest;
import io.weir.common.protocol.DescribeGroupsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetDeleteRequest;
import io.weir.common.protocol.OffsetDeleteResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;

/**
 * Committed offsets and the admin view of groups, over the groups of a {@link GroupCoordinator}.
 *
 * <p>A commit is validated with the group locked (member, generation, state, each offset), appended to the
 * group's partition of the offsets topic while still locked — so commits of one group reach the log in the
 * order they were accepted — and applied to the group's offset cache by the append's completion, in log
 * order. A fetch reads the cache, so it sees a commit once it is durable, never before. Offsets committed in a
 * transaction ({@link TxnOffsetCommits}) take the same path, {@link #writeOffsets}: one validation, one
 * commit-time stamp, one way to answer per partition; only the group checks and what the append does differ.
 *
 * <p>Each cached offset remembers the log offset of its record ({@link Group#applyOffset}), so that offsets
 * committed in a transaction ({@link TxnOffsetCommits}) never overwrite a newer record when their marker lands.
 *
 * <p>{@link #load} rebuilds the cache from the offsets topic when the broker opens: the latest record per
 * key wins, tombstones remove (pending transactional offsets of the partition too). Groups come back Empty with their last generation; members are not restored,
 * since in one process a broker restart means the consumers restarted too.
 *
 * <p>Thread-safe, as {@link GroupCoordinator}.
 */
public final class OffsetCoordinator {
    private static final Comparator<TopicPartition> BY_TOPIC_AND_PARTITION =
            Comparator.comparing(TopicPartition::topic).thenComparingInt(TopicPartition::partition);
    private final GroupCoordinator coordinator;
    private final Map<String, Group> groups;
    private final Predicate<TopicPartition> partitionExists;

    /** For tests of the coordinator alone: every partition counts as existing. */
    public OffsetCoordinator(GroupCoordinator coordinator) {
        this(coordinator, tp -> true);
    }

    /** @param partitionExists whether the broker has the partition, so commits for made-up ones are refused */
    public OffsetCoordinator(GroupCoordinator coordinator, Predicate<TopicPartition> partitionExists) {
        this.coordinator = coordinator;
        this.groups = coordinator.groups;
        this.partitionExists = partitionExists;
    }

    // ---- commit and fetch ---------------------------------------------------------------------------------

    public CompletableFuture<OffsetCommitResponse> commit(OffsetCommitRequest request) {
        if (request.groupId() == null || request.groupId().isEmpty()) {
            return CompletableFuture.completedFuture(new OffsetCommitResponse(failAll(
                    request.offsets().keySet(),
                    new ApiError(Errors.INVALID_GROUP_ID, "Offsets cannot be committed without a group id"))));
        }
        boolean simple = request.generationId() < 0
                && (request.memberId() == null || request.memberId().isEmpty());
        Group group = simple ? groups.computeIfAbsent(request.groupId(), Group::new) : groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(new OffsetCommitResponse(failAll(
                    request.offsets().keySet(),
                    GroupCoordinator.unknownMember(request.groupId(), request.memberId()))));
        }
        return GroupCoordinator.locked(
                        group,
                        () -> writeOffsets(
                                group,
                                simple ? checkSimpleCommit(group) : checkMemberCommit(group, request),
                                request.offsets(),
                                (records, applied) -> coordinator.store().append(group.groupId, records, applied),
                                group::applyOffset,
                                "offsets of group " + group.groupId))
                .thenApply(OffsetCommitResponse::new);
    }

    /** Appends one commit's records; {@code applied} runs once they are in the log (see {@link GroupStore#append}). */
    @FunctionalInterface
    interface OffsetAppend {
        CompletableFuture<Void> append(List<GroupRecord> records, GroupStore.Applied applied);
    }

    /** Takes one appended offset into the group, with the log offset of its record. */
    @FunctionalInterface
    interface AppendedOffset {
        void apply(TopicPartition tp, CommittedOffset value, long logOffset);
    }

    /**
     * The one path every offset commit takes, plain or transactional, with {@code group} locked. A commit the
     * group refused ({@code groupError}) fails for every partition. Otherwise each offset is validated
     * ({@link #validate}) and those without a commit time are stamped with the broker's clock; the valid ones
     * are remembered for a later delete and appended with {@code append}, and once they are in the log each is
     * handed to {@code appended} with its log offset. When nothing is appended, a group the commit created is
     * retired ({@link #forgetIfUnused}).
     *
     * @param stored what the commit stores, for the error when the append fails
     * @return one result per partition: its validation error, or the append's outcome
     */
    CompletableFuture<Map<TopicPartition, ApiError>> writeOffsets(
            Group group,
            ApiError groupError,
            Map<TopicPartition, CommittedOffset> requested,
            OffsetAppend append,
            AppendedOffset appended,
            String stored) {
        if (groupError != null) {
            forgetIfUnused(group);
            return CompletableFuture.completedFuture(failAll(requested.keySet(), groupError));
        }
        Map<TopicPartition, ApiError> results = new ConcurrentHashMap<>();
        List<GroupRecord.OffsetCommit> records = new ArrayList<>();
        long now = coordinator.time().milliseconds();
        requested.forEach((tp, offset) -> {
            ApiError invalid = validate(group, tp, offset);
            if (invalid != null) {
                results.put(tp, invalid);
            } else {
                CommittedOffset stamped = offset.commitTimestamp() < 0
                        ? new CommittedOffset(offset.offset(), offset.leaderEpoch(), offset.metadata(), now)
                        : offset;
                records.add(new GroupRecord.OffsetCommit(group.groupId, tp, stamped));
            }
        });
        if (records.isEmpty()) {
            forgetIfUnused(group);
            return CompletableFuture.completedFuture(results);
        }
        records.forEach(r -> group.rememberCommitted(r.partition()));
        return append.append(Collections.unmodifiableList(records), firstOffset -> {
                    for (int i = 0; i < records.size(); i++) {
                        appended.apply(
                                records.get(i).partition(), records.get(i).value(), firstOffset + i);
                    }
                })
                .handle((ok, failure) -> {
                    ApiError outcome = failure == null
                            ? ApiError.NONE
                            : new ApiError(
                                    Errors.COORDINATOR_NOT_AVAILABLE,
                                    "Could not store " + stored + ": " + failure.getMessage());
                    records.forEach(r -> results.put(r.partition(), outcome));
                    return results;
                });
    }

    /**
     * A simple commit on an unknown group creates the group before it validates anything; when nothing was
     * committed, the empty shell is retired (Dead, so a caller still holding it retries) instead of piling up.
     */
    void forgetIfUnused(Group group) {
        coordinator.retireIfUnused(group, coordinator.time().milliseconds());
    }

    /** Generation -1 and no member id: a consumer with manual assignment or an admin tool. */
    private static ApiError checkSimpleCommit(Group group) {
        if (group.is(GroupState.DEAD)) {
            return new ApiError(Errors.COORDINATOR_NOT_AVAILABLE, "Group " + group.groupId + " is being deleted");
        }
        if (group.hasMembers()) {
            return new ApiError(
                    Errors.NON_EMPTY_GROUP,
                    "Group " + group.groupId + " has " + group.members.size()
                            + " active members (state " + group.state().displayName()
                            + "); offsets can be committed without a "
                            + "generation only while the group is empty");
        }
        return null;
    }

    private static ApiError checkMemberCommit(Group group, OffsetCommitRequest request) {
        ApiError error = GroupCoordinator.checkMember(
                group, request.memberId(), request.groupInstanceId(), request.generationId());
        if (error == null && group.is(GroupState.COMPLETING_REBALANCE)) {
            return new ApiError(
                    Errors.REBALANCE_IN_PROGRESS,
                    "Group " + group.groupId + " is completing a rebalance: " + "the partitions of generation "
                            + group.generationId + " are not handed out yet");
        }
        return error;
    }

    ApiError validate(Group group, TopicPartition tp, CommittedOffset offset) {
        if (!partitionExists.test(tp)) {
            return new ApiError(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    "Group " + group.groupId + " cannot commit an offset for " + tp
                            + ": the broker has no such topic partition");
        }
        if (offset.offset() < 0) {
            return new ApiError(
                    Errors.INVALID_REQUEST,
                    "Offset " + offset.offset() + " for " + tp + " in group " + group.groupId
                            + " is negative: a committed offset must be >= 0");
        }
        if (offset.metadata() == null) {
            return new ApiError(Errors.INVALID_REQUEST, "Offset metadata for " + tp + " is null; use an empty string");
        }
        int metadataBytes = offset.metadata().getBytes(StandardCharsets.UTF_8).length;
        if (metadataBytes > coordinator.config().offsetMetadataMaxBytes()) {
            return new ApiError(
                    Errors.OFFSET_METADATA_TOO_LARGE,
                    "Offset metadata for " + tp + " in group " + group.groupId + " is " + metadataBytes
                            + " bytes; offset.metadata.max.bytes is "
                            + coordinator.config().offsetMetadataMaxBytes());
        }
        return null;
    }

    /** The same error for every partition of a commit. */
    static Map<TopicPartition, ApiError> failAll(Collection<TopicPartition> partitions, ApiError error) {
        Map<TopicPartition, ApiError> results = new HashMap<>();
        partitions.forEach(tp -> results.put(tp, error));
        return results;
    }

    /**
     * The committed offsets of a group; a partition without one answers offset -1. A group the broker does not
     * know answers as one without offsets, no error: none for a request of all partitions, -1 for each named one
     * (Kafka's OffsetMetadataManager.fetchAllOffsets and fetchOffsets).
     */
    public OffsetFetchResponse fetch(OffsetFetchRequest request) {
        Group group = groups.get(request.groupId());
        Map<TopicPartition, OffsetFetchResponse.PartitionData> out = new LinkedHashMap<>();
        // exists(), not just "not Dead": a rejected simple commit leaves a group object with nothing in it,
        // which describe, list and delete already treat as unknown.
        if (group == null || !GroupCoordinator.locked(group, group::exists)) {
            if (request.partitions() == null) {
                return new OffsetFetchResponse(ApiError.NONE, Map.of());
            }
            request.partitions().forEach(tp -> out.put(tp, OffsetFetchResponse.PartitionData.NONE));
            return new OffsetFetchResponse(ApiError.NONE, out);
        }
        Iterable<TopicPartition> wanted = request.partitions() != null
                ? request.partitions()
                : group.offsets.keySet().stream().sorted(BY_TOPIC_AND_PARTITION).toList();
        for (TopicPartition tp : wanted) {
            if (request.requireStable() && group.hasPendingTxnOffset(tp)) {
                out.put(
                        tp,
                        new OffsetFetchResponse.PartitionData(
                                -1L,
                                -1,
                                "",
                                new ApiError(
                                        Errors.UNSTABLE_OFFSET_COMMIT,
                                        "Group " + request.groupId() + " has a transactional offset commit for " + tp
                                                + " in an open transaction; retry once the transaction ends")));
                continue;
            }
            CommittedOffset c = group.offsets.get(tp);
            out.put(
                    tp,
                    c == null
                            ? OffsetFetchResponse.PartitionData.NONE
                            : new OffsetFetchResponse.PartitionData(c.offset(), c.leaderEpoch(), c.metadata()));
        }
        return new OffsetFetchResponse(ApiError.NONE, out);
    }

    // ---- admin --------------------------------------------------------------------------------------------

    public ListGroupsResponse list() {
        List<ListGroupsResponse.ListedGroup> out = new ArrayList<>();
        for (Group group : new TreeMap<>(groups).values()) {
            GroupCoordinator.locked(group, () -> {
                if (group.exists()) {
                    out.add(new ListGroupsResponse.ListedGroup(
                            group.groupId,
                            group.protocolType() == null
                                    ? GroupCoordinator.CONSUMER_PROTOCOL_TYPE
                                    : group.protocolType(),
                            group.state().displayName()));
                }
            });
        }
        return new ListGroupsResponse(ApiError.NONE, out);
    }

    public DescribeGroupsResponse describe(DescribeGroupsRequest request) {
        List<DescribeGroupsResponse.DescribedGroup> out = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            Group group = groups.get(groupId);
            DescribeGroupsResponse.DescribedGroup described = group == null
                    ? null
                    : GroupCoordinator.locked(group, () -> {
                        if (!group.exists()) {
                            return null;
                        }
                        List<DescribeGroupsResponse.DescribedMember> members = new ArrayList<>();
                        for (MemberMetadata m : group.memberList()) {
                            byte[] metadata = group.protocolName() != null && m.supports(group.protocolName())
                                    ? m.metadata(group.protocolName())
                                    : MemberMetadata.EMPTY;
                            // As Kafka: an assignment is shown only once the generation is stable; before, it is stale.
                            members.add(new DescribeGroupsResponse.DescribedMember(
                                    m.memberId,
                                    m.groupInstanceId,
                                    m.clientId,
                                    metadata,
                                    group.is(GroupState.STABLE) ? m.assignment : MemberMetadata.EMPTY));
                        }
                        return new DescribeGroupsResponse.DescribedGroup(
                                ApiError.NONE,
                                groupId,
                                group.state().displayName(),
                                group.protocolType() == null
                                        ? GroupCoordinator.CONSUMER_PROTOCOL_TYPE
                                        : group.protocolType(),
                                group.protocolName(),
                                group.generationId,
                                group.leaderId,
                                members);
                    });
            out.add(
                    described != null
                            ? described
                            : new DescribeGroupsResponse.DescribedGroup(
                                    notFound(groupId),
                                    groupId,
                                    GroupState.DEAD.displayName(),
                                    "",
                                    null,
                                    -1,
                                    null,
                                    List.of()));
        }
        return new DescribeGroupsResponse(out);
    }

    /**
     * Deletes groups without members: writes a tombstone for every offset the group ever committed and one
     * for the group, then forgets it. A group with members is refused with NON_EMPTY_GROUP.
     */
    public CompletableFuture<DeleteGroupsResponse> delete(DeleteGroupsRequest request) {
        Map<String, ApiError> results = new ConcurrentHashMap<>();
        List<CompletableFuture<Void>> pending = new ArrayList<>();
        for (String groupId : request.groupIds()) {
            Group group = groups.get(groupId);
            if (group == null) {
                results.put(groupId, notFound(groupId));
                continue;
            }
            CompletableFuture<Void> done = GroupCoordinator.locked(group, () -> {
                if (!group.exists()) {
                    results.put(groupId, notFound(groupId));
                    return null;
                }
                if (group.hasMembers()) {
                    results.put(
                            groupId,
                            new ApiError(
                                    Errors.NON_EMPTY_GROUP,
                                    "Group " + groupId + " has "
                                            + group.members.size() + " active members (state "
                                            + group.state().displayName()
                                            + "); stop its consumers before deleting it"));
                    return null;
                }
                group.markDead(coordinator.time().milliseconds());
                List<GroupRecord> tombstones = new ArrayList<>();
                group.tombstonePartitions()
                        .forEach(tp -> tombstones.add(new GroupRecord.OffsetCommit(groupId, tp, null)));
                tombstones.add(new GroupRecord.GroupMetadata(groupId, null));
                CompletableFuture<Void> written = coordinator
                        .store()
                        .append(groupId, tombstones, firstOffset -> group.clearOffsets())
                        .handle((ok, failure) -> {
                            results.put(
                                    groupId,
                                    failure == null
                                            ? ApiError.NONE
                                            : new ApiError(
                                                    Errors.COORDINATOR_NOT_AVAILABLE,
                                                    "Could not store the deletion of group " + groupId + ": "
                                                            + failure.getMessage()));
                            return null;
                        });
                // Only once its tombstones are queued: until then a caller finds the Dead group and retries, so a
                // new group of the same id cannot write an offset that the old group's tombstone would then follow.
                groups.remove(groupId, group);
                return written;
            });
            if (done != null) {
                pending.add(done);
            }
        }
        return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new))
                .thenApply(v -> new DeleteGroupsResponse(results));
    }

    /**
     * Deletes some committed offsets of a group, as Kafka's OffsetDelete: for a group without members any of them;
     * for a consumer group with members only those of topics no member subscribes to (the rest answer
     * GROUP_SUBSCRIBED_TO_TOPIC); a group of another protocol type with members is refused with NON_EMPTY_GROUP.
     * A partition of a topic the broker does not have answers UNKNOWN_TOPIC_OR_PARTITION; a failed append fails
     * the request with COORDINATOR_NOT_AVAILABLE (retriable). A tombstone is written for each deleted offset, committed or pending in an open transaction (the
     * tombstone drops the pending one, see {@link Group#applyOffset}); a partition without an offset answers NONE.
     */
    public CompletableFuture<OffsetDeleteResponse> deleteOffsets(OffsetDeleteRequest request) {
        Group group = groups.get(request.groupId());
        if (group == null) {
            return CompletableFuture.completedFuture(new OffsetDeleteResponse(notFound(request.groupId()), Map.of()));
        }
        return GroupCoordinator.locked(group, () -> {
            if (!group.exists()) {
                return CompletableFuture.completedFuture(
                        new OffsetDeleteResponse(notFound(request.groupId()), Map.of()));
            }
            Set<String> subscribed = Set.of();
            if (group.hasMembers()) {
                if (!GroupCoordinator.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
                    return CompletableFuture.completedFuture(new OffsetDeleteResponse(
                            new ApiError(
                                    Errors.NON_EMPTY_GROUP,
                                    "Group " + request.groupId() + " of protocol type '" + group.protocolType()
                                            + "' has " + group.members.size()
                                            + " active members; stop them before deleting its offsets"),
                            Map.of()));
                }
                subscribed = SubscribedTopics.of(group).orElse(Set.of());
            }
            Map<TopicPartition, ApiError> results = new ConcurrentHashMap<>();
            List<TopicPartition> deleted = new ArrayList<>();
            for (TopicPartition tp : request.partitions()) {
                // As Kafka's handleDeleteOffsets: a topic the broker does not have (every topic has partition 0).
                if (!partitionExists.test(new TopicPartition(tp.topic(), 0))) {
                    results.put(
                            tp,
                            new ApiError(
                                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                                    "Group " + request.groupId() + " cannot delete the offset of " + tp
                                            + ": the broker has no topic " + tp.topic()));
                } else if (subscribed.contains(tp.topic())) {
                    results.put(
                            tp,
                            new ApiError(
                                    Errors.GROUP_SUBSCRIBED_TO_TOPIC,
                                    "Group " + request.groupId() + " has members subscribed to " + tp.topic()
                                            + "; its offsets can be deleted once no member consumes it"));
                } else {
                    results.put(tp, ApiError.NONE);
                    // As Kafka: an offset only an open transaction holds is deleted too (its tombstone drops it).
                    if ((group.offsets.containsKey(tp) || group.hasPendingTxnOffset(tp)) && !deleted.contains(tp)) {
                        deleted.add(tp);
                    }
                }
            }
            if (deleted.isEmpty()) {
                return CompletableFuture.completedFuture(new OffsetDeleteResponse(ApiError.NONE, results));
            }
            List<GroupRecord> tombstones = new ArrayList<>();
            deleted.forEach(tp -> tombstones.add(new GroupRecord.OffsetCommit(request.groupId(), tp, null)));
            return coordinator
                    .store()
                    .append(request.groupId(), tombstones, firstOffset -> {
                        for (int i = 0; i < deleted.size(); i++) {
                            group.applyOffset(deleted.get(i), null, firstOffset + i);
                        }
                    })
                    .handle((ok, failure) -> failure == null
                            ? new OffsetDeleteResponse(ApiError.NONE, results)
                            // As Kafka: a failed write fails the whole request, with a retriable error.
                            : new OffsetDeleteResponse(
                                    new ApiError(
                                            Errors.COORDINATOR_NOT_AVAILABLE,
                                            "Could not store the deletion of offsets of group " + request.groupId()
                                                    + ": " + failure.getMessage()),
                                    Map.of()));
        });
    }

    private static ApiError notFound(String groupId) {
        return new ApiError(
                Errors.GROUP_ID_NOT_FOUND,
                "Group '" + groupId + "' does not exist: it has no members and no committed offsets");
    }

    // ---- load ---------------------------------------------------------------------------------------------

    /**
     * Replays one non-transactional record of the offsets topic, found at {@code logOffset}, in log order while
     * the broker opens (before any request); transactional ones go to {@link TxnOffsetCommits#loadTransactional}.
     * Not for use once the broker serves.
     */
    public void load(GroupRecord record, long logOffset) {
        if (record instanceof GroupRecord.OffsetCommit oc) {
            Group group = groups.computeIfAbsent(oc.groupId(), Group::new);
            group.applyOffset(oc.partition(), oc.value(), logOffset);
            if (oc.value() != null) {
                group.rememberCommitted(oc.partition());
            }
        } else {
            GroupRecord.GroupMetadata gm = (GroupRecord.GroupMetadata) record;
            if (gm.value() == null) {
                groups.remove(gm.groupId());
            } else {
                groups.computeIfAbsent(gm.groupId(), Group::new).loadGeneration(gm.value());
            }
        }
    }
}
