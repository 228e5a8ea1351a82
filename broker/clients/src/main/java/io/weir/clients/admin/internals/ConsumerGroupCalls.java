package io.weir.clients.admin.internals;

import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.ConsumerGroupState;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.ListOffsetsResultInfo;
import io.weir.clients.admin.MemberDescription;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.ConsumerProtocol;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InconsistentGroupProtocolException;
import io.weir.common.errors.InvalidGroupIdException;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DeleteGroupsRequest;
import io.weir.common.protocol.DescribeGroupsRequest;
import io.weir.common.protocol.DescribeGroupsResponse;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;

/**
 * The consumer-group calls of {@link AdminClientImpl}: listing, describing and deleting groups, and reading,
 * altering and resetting their committed offsets, each over one or two broker requests.
 *
 * <p>Offsets are altered as Kafka's admin tools do, with a "simple" commit (generation -1, no member id),
 * which the coordinator accepts only while the group has no members: an admin never moves offsets under a
 * running consumer. Group ids are checked here (a null or empty id fails its own futures with
 * InvalidGroupIdException and is never sent) so that one bad id does not fail the others of a call.
 *
 * <p>Stateless beyond its collaborators, so thread-safe; futures complete on the transport's threads.
 */
final class ConsumerGroupCalls {
    /** Kafka's {@code ConsumerProtocol.PROTOCOL_TYPE}. */
    static final String CONSUMER_PROTOCOL_TYPE = "consumer";
    /** Generation and member id of a commit made outside any generation (Kafka's admin and manual-assignment commits). */
    private static final int NO_GENERATION = -1;

    private static final String NO_MEMBER = "";
    /** Lets the broker stamp the commit with its own clock. */
    private static final long BROKER_TIMESTAMP = -1L;

    private final AdminClientImpl admin;
    private final BrokerApi broker;

    ConsumerGroupCalls(AdminClientImpl admin, BrokerApi broker) {
        this.admin = admin;
        this.broker = broker;
    }

    // ---- groups -------------------------------------------------------------------------------------------

    CompletableFuture<Collection<ConsumerGroupListing>> list() {
        return AdminClientImpl.unwrapping(
                admin.withTimeout(broker.listGroups(), "listConsumerGroups").thenApply(r -> {
                    if (!r.error().isSuccess()) {
                        throw r.error().exception();
                    }
                    List<ConsumerGroupListing> out = new ArrayList<>();
                    for (ListGroupsResponse.ListedGroup g : r.groups()) {
                        if (isConsumerProtocol(g.protocolType())) {
                            out.add(new ConsumerGroupListing(g.groupId(), ConsumerGroupState.parse(g.state())));
                        }
                    }
                    return List.copyOf(out);
                }));
    }

    KeyedResult<String, ConsumerGroupDescription> describe(Collection<String> groupIds) {
        Set<String> ids = distinct(groupIds, "describeConsumerGroups");
        List<String> valid =
                ids.stream().filter(ConsumerGroupCalls::isValidGroupId).toList();
        CompletableFuture<DescribeGroupsResponse> response = valid.isEmpty()
                ? null
                : admin.withTimeout(broker.describeGroups(new DescribeGroupsRequest(valid)), "describeConsumerGroups");
        Map<String, CompletableFuture<ConsumerGroupDescription>> values = new LinkedHashMap<>();
        for (String id : ids) {
            values.put(
                    id,
                    !isValidGroupId(id)
                            ? invalidGroupId(id, "describeConsumerGroups")
                            : response.thenApply(r -> describe(r, id)));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    private static ConsumerGroupDescription describe(DescribeGroupsResponse response, String groupId) {
        DescribeGroupsResponse.DescribedGroup group = null;
        for (DescribeGroupsResponse.DescribedGroup g : response.groups()) {
            if (g.groupId().equals(groupId)) {
                group = g;
                break;
            }
        }
        if (group == null) {
            throw new UnknownServerException("The broker's describeGroups answer left out group '" + groupId + "'");
        }
        if (!group.error().isSuccess()) {
            throw group.error().exception();
        }
        if (!isConsumerProtocol(group.protocolType())) {
            throw new InconsistentGroupProtocolException("Group '" + groupId + "' has protocol type '"
                    + group.protocolType() + "', not '" + CONSUMER_PROTOCOL_TYPE + "': it is not a consumer group");
        }
        List<MemberDescription> members = new ArrayList<>();
        for (DescribeGroupsResponse.DescribedMember m : group.members()) {
            members.add(new MemberDescription(
                    m.memberId(),
                    Optional.ofNullable(m.groupInstanceId()),
                    m.clientId(),
                    ConsumerProtocol.assignedPartitions(
                            m.assignment(), "member " + m.memberId() + " of group '" + groupId + "'")));
        }
        Optional<String> leader = Optional.ofNullable(group.leaderId()).filter(id -> !id.isEmpty());
        return new ConsumerGroupDescription(
                groupId,
                ConsumerGroupState.parse(group.state()),
                group.protocolName(),
                group.generationId(),
                leader,
                members);
    }

    KeyedResult<String, Void> delete(Collection<String> groupIds) {
        Set<String> ids = distinct(groupIds, "deleteConsumerGroups");
        List<String> valid =
                ids.stream().filter(ConsumerGroupCalls::isValidGroupId).toList();
        var response = valid.isEmpty()
                ? null
                : admin.withTimeout(broker.deleteGroups(new DeleteGroupsRequest(valid)), "deleteConsumerGroups");
        Map<String, CompletableFuture<Void>> values = new LinkedHashMap<>();
        for (String id : ids) {
            values.put(
                    id,
                    !isValidGroupId(id)
                            ? invalidGroupId(id, "deleteConsumerGroups")
                            : response.thenApply(r -> {
                                check(r.results().get(id), "'" + id + "'", "deleteGroups");
                                return null;
                            }));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    // ---- offsets ------------------------------------------------------------------------------------------

    CompletableFuture<Map<TopicPartition, OffsetAndMetadata>> offsets(String groupId) {
        if (!isValidGroupId(groupId)) {
            return AdminClientImpl.unwrapping(invalidGroupId(groupId, "listConsumerGroupOffsets"));
        }
        return AdminClientImpl.unwrapping(
                admin.withTimeout(broker.offsetFetch(new OffsetFetchRequest(groupId, null)), "listConsumerGroupOffsets")
                        .thenApply(ConsumerGroupCalls::committed));
    }

    /** The partitions with a committed offset; the broker answers -1 for a partition without one. */
    private static Map<TopicPartition, OffsetAndMetadata> committed(OffsetFetchResponse response) {
        if (!response.error().isSuccess()) {
            throw response.error().exception();
        }
        Map<TopicPartition, OffsetAndMetadata> out = new TreeMap<>();
        response.offsets().forEach((tp, data) -> {
            if (data.offset() >= 0) {
                Optional<Integer> epoch = data.leaderEpoch() < 0 ? Optional.empty() : Optional.of(data.leaderEpoch());
                out.put(tp, new OffsetAndMetadata(data.offset(), epoch, data.metadata()));
            }
        });
        return Collections.unmodifiableMap(out);
    }

    CompletableFuture<Map<TopicPartition, GroupOffsetLag>> lag(String groupId) {
        if (!isValidGroupId(groupId)) {
            return AdminClientImpl.unwrapping(invalidGroupId(groupId, "describeConsumerGroupLag"));
        }
        return AdminClientImpl.unwrapping(offsets(groupId).thenCompose(committed -> {
            if (committed.isEmpty()) {
                return CompletableFuture.completedFuture(Map.<TopicPartition, GroupOffsetLag>of());
            }
            Map<TopicPartition, OffsetSpec> latest = new LinkedHashMap<>();
            committed.keySet().forEach(tp -> latest.put(tp, OffsetSpec.latest()));
            return admin.lookupOffsets(latest).all().thenApply(ends -> {
                Map<TopicPartition, GroupOffsetLag> out = new TreeMap<>();
                committed.forEach((tp, c) ->
                        out.put(tp, new GroupOffsetLag(c.offset(), ends.get(tp).offset())));
                return Collections.unmodifiableMap(out);
            });
        }));
    }

    KeyedResult<TopicPartition, Void> alterOffsets(String groupId, Map<TopicPartition, OffsetAndMetadata> offsets) {
        checkEntries(offsets, "alterConsumerGroupOffsets", "offsets");
        if (!isValidGroupId(groupId)) {
            return allFailed(offsets.keySet(), groupId, "alterConsumerGroupOffsets");
        }
        if (offsets.isEmpty()) {
            return new KeyedResult<>(Map.of());
        }
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> commits = new LinkedHashMap<>();
        offsets.forEach((tp, o) -> commits.put(
                tp,
                new OffsetCommitRequest.CommittedOffset(
                        o.offset(), o.leaderEpoch().orElse(-1), o.metadata(), BROKER_TIMESTAMP)));
        var response = admin.withTimeout(
                broker.offsetCommit(new OffsetCommitRequest(groupId, NO_GENERATION, NO_MEMBER, null, commits)),
                "alterConsumerGroupOffsets");
        Map<TopicPartition, CompletableFuture<Void>> values = new LinkedHashMap<>();
        for (TopicPartition tp : commits.keySet()) {
            values.put(tp, response.thenApply(r -> {
                check(r.results().get(tp), tp.toString(), "offsetCommit");
                return null;
            }));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    /**
     * Three steps, each over all partitions in one request: look up every spec; look up the log end of the
     * partitions whose spec found no record; commit every offset found. A partition whose lookup failed is
     * left out of the later steps and its future fails with the lookup's error.
     */
    KeyedResult<TopicPartition, OffsetAndMetadata> resetOffsets(String groupId, Map<TopicPartition, OffsetSpec> specs) {
        checkEntries(specs, "resetConsumerGroupOffsets", "specs");
        if (!isValidGroupId(groupId)) {
            return allFailed(specs.keySet(), groupId, "resetConsumerGroupOffsets");
        }
        if (specs.isEmpty()) {
            return new KeyedResult<>(Map.of());
        }
        Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>> found =
                admin.lookupOffsets(specs).values();
        CompletableFuture<Map<TopicPartition, CompletableFuture<ListOffsetsResultInfo>>> ends = settled(found.values())
                .thenApply(ignored -> {
                    Map<TopicPartition, OffsetSpec> unmatched = new LinkedHashMap<>();
                    found.forEach((tp, f) -> {
                        if (!f.isCompletedExceptionally() && f.join().offset() < 0) {
                            unmatched.put(tp, OffsetSpec.latest());
                        }
                    });
                    return unmatched.isEmpty()
                            ? Map.of()
                            : admin.lookupOffsets(unmatched).values();
                });
        Map<TopicPartition, CompletableFuture<Long>> targets = new LinkedHashMap<>();
        found.forEach((tp, f) -> targets.put(
                tp,
                f.thenCompose(info -> info.offset() >= 0
                        ? CompletableFuture.completedFuture(info.offset())
                        : ends.thenCompose(e -> e.get(tp)).thenApply(ListOffsetsResultInfo::offset))));
        CompletableFuture<Map<TopicPartition, CompletableFuture<Void>>> commits = settled(targets.values())
                .thenApply(ignored -> {
                    Map<TopicPartition, OffsetAndMetadata> resolved = new LinkedHashMap<>();
                    targets.forEach((tp, t) -> {
                        if (!t.isCompletedExceptionally()) {
                            resolved.put(tp, new OffsetAndMetadata(t.join()));
                        }
                    });
                    return alterOffsets(groupId, resolved).values();
                });
        Map<TopicPartition, CompletableFuture<OffsetAndMetadata>> values = new LinkedHashMap<>();
        targets.forEach((tp, t) -> values.put(tp, t.thenCompose(offset -> commits.thenCompose(c -> c.get(tp))
                .thenApply(ignored -> new OffsetAndMetadata(offset)))));
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    /** Kafka lists groups with no protocol type too: those only ever had offsets committed by an admin or a manual-assignment consumer. */
    private static boolean isConsumerProtocol(String protocolType) {
        return protocolType == null || protocolType.isEmpty() || protocolType.equals(CONSUMER_PROTOCOL_TYPE);
    }

    private static boolean isValidGroupId(String groupId) {
        return groupId != null && !groupId.isEmpty();
    }

    private static <V> CompletableFuture<V> invalidGroupId(String groupId, String operation) {
        return CompletableFuture.failedFuture(new InvalidGroupIdException(operation + " got group id "
                + (groupId == null ? "null" : "'" + groupId + "'") + ": a group id must be a non-empty string"));
    }

    private static <V> KeyedResult<TopicPartition, V> allFailed(
            Collection<TopicPartition> partitions, String groupId, String operation) {
        Map<TopicPartition, CompletableFuture<V>> values = new LinkedHashMap<>();
        partitions.forEach(tp -> values.put(tp, invalidGroupId(groupId, operation)));
        return new KeyedResult<>(values);
    }

    /** The ids without repeats, in the caller's order. */
    private static Set<String> distinct(Collection<String> groupIds, String operation) {
        if (groupIds == null) {
            throw new IllegalArgumentException(operation + " needs a collection of group ids, but got null");
        }
        Set<String> ids = new LinkedHashSet<>();
        for (String id : groupIds) {
            if (id == null) {
                throw new IllegalArgumentException(operation + " got a null group id among " + groupIds);
            }
            ids.add(id);
        }
        return ids;
    }

    private static void checkEntries(Map<TopicPartition, ?> map, String operation, String name) {
        if (map == null) {
            throw new IllegalArgumentException(operation + " needs a map of " + name + ", but got null");
        }
        // Map.of and friends refuse containsKey(null); walk the entries instead.
        map.forEach((tp, value) -> {
            if (tp == null || value == null) {
                throw new IllegalArgumentException(operation + " got a null "
                        + (tp == null ? "partition" : "value for " + tp) + " in its " + name);
            }
        });
    }

    private static void check(ApiError error, String key, String request) {
        if (error == null) {
            throw new UnknownServerException("The broker's " + request + " answer left out " + key);
        }
        if (!error.isSuccess()) {
            throw error.exception();
        }
    }

    /** Completes, normally, once every future has completed either way. */
    private static CompletableFuture<Void> settled(Collection<? extends CompletableFuture<?>> futures) {
        return CompletableFuture.allOf(
                futures.stream().map(f -> f.handle((v, t) -> null)).toArray(CompletableFuture[]::new));
    }
}
