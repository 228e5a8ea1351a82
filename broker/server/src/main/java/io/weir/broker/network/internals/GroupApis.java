package io.weir.broker.network.internals;

import static io.weir.broker.network.internals.KafkaApis.code;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DeleteGroupsRequest;
import io.weir.common.protocol.DescribeGroupsRequest;
import io.weir.common.protocol.DescribeGroupsResponse;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.LeaveGroupResponse;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetDeleteRequest;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.protocol.SyncGroupRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DescribeGroupsRequestData;
import org.apache.kafka.common.message.DescribeGroupsResponseData;
import org.apache.kafka.common.message.HeartbeatRequestData;
import org.apache.kafka.common.message.HeartbeatResponseData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.JoinGroupResponseData;
import org.apache.kafka.common.message.LeaveGroupRequestData;
import org.apache.kafka.common.message.LeaveGroupResponseData;
import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetDeleteRequestData;
import org.apache.kafka.common.message.OffsetDeleteResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.SyncGroupRequestData;
import org.apache.kafka.common.message.SyncGroupResponseData;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * The classic consumer-group protocol (JoinGroup, SyncGroup, Heartbeat, LeaveGroup), offsets (OffsetCommit,
 * OffsetFetch in both its single-group and its v8+ multi-group form, OffsetDelete) and group administration
 * (DescribeGroups, ListGroups, DeleteGroups), translated to {@link BrokerApi}. Stateless; any thread.
 */
final class GroupApis {
    private final BrokerApi broker;

    GroupApis(BrokerApi broker) {
        this.broker = broker;
    }

    /** @param clientId the request header's client id, which DescribeGroups and the group tools report per member */
    CompletableFuture<JoinGroupResponseData> joinGroup(AbstractRequest request, short version, String clientId) {
        JoinGroupRequestData in = (JoinGroupRequestData) request.data();
        List<JoinGroupRequest.Protocol> protocols = new ArrayList<>();
        for (JoinGroupRequestData.JoinGroupRequestProtocol p : in.protocols()) {
            protocols.add(new JoinGroupRequest.Protocol(p.name(), p.metadata()));
        }
        int rebalanceTimeout = version == 0 ? in.sessionTimeoutMs() : in.rebalanceTimeoutMs();
        return broker.joinGroup(new JoinGroupRequest(
                        in.groupId(),
                        in.sessionTimeoutMs(),
                        rebalanceTimeout,
                        in.memberId(),
                        in.groupInstanceId(),
                        clientId == null ? "" : clientId,
                        in.protocolType(),
                        protocols,
                        version >= 4))
                .thenApply(r -> {
                    JoinGroupResponseData out = new JoinGroupResponseData()
                            .setErrorCode(code(r.error()))
                            .setGenerationId(r.generationId())
                            // nullable from v7 only: an older answer without a protocol carries ""
                            .setProtocolName(r.protocolName() != null || version >= 7 ? r.protocolName() : "")
                            .setLeader(r.leaderId() == null ? "" : r.leaderId())
                            .setMemberId(r.memberId() == null ? "" : r.memberId());
                    if (r.error().isSuccess()) {
                        out.setProtocolType(in.protocolType());
                    }
                    for (JoinGroupResponse.Member m : r.members()) {
                        out.members()
                                .add(new JoinGroupResponseData.JoinGroupResponseMember()
                                        .setMemberId(m.memberId())
                                        .setGroupInstanceId(m.groupInstanceId())
                                        .setMetadata(m.metadata()));
                    }
                    return out;
                });
    }

    CompletableFuture<SyncGroupResponseData> syncGroup(AbstractRequest request) {
        SyncGroupRequestData in = (SyncGroupRequestData) request.data();
        Map<String, byte[]> assignments = new HashMap<>();
        for (SyncGroupRequestData.SyncGroupRequestAssignment a : in.assignments()) {
            assignments.put(a.memberId(), a.assignment());
        }
        return broker.syncGroup(new SyncGroupRequest(
                        in.groupId(),
                        in.generationId(),
                        in.memberId(),
                        in.groupInstanceId(),
                        in.protocolType(),
                        in.protocolName(),
                        assignments))
                .thenApply(r -> new SyncGroupResponseData()
                        .setErrorCode(code(r.error()))
                        .setProtocolType(r.error().isSuccess() ? in.protocolType() : null)
                        .setProtocolName(r.protocolName())
                        .setAssignment(r.assignment() == null ? new byte[0] : r.assignment()));
    }

    CompletableFuture<HeartbeatResponseData> heartbeat(AbstractRequest request) {
        HeartbeatRequestData in = (HeartbeatRequestData) request.data();
        return broker.heartbeat(
                        new HeartbeatRequest(in.groupId(), in.generationId(), in.memberId(), in.groupInstanceId()))
                .thenApply(r -> new HeartbeatResponseData().setErrorCode(code(r.error())));
    }

    CompletableFuture<LeaveGroupResponseData> leaveGroup(AbstractRequest request, short version) {
        LeaveGroupRequestData in = (LeaveGroupRequestData) request.data();
        List<LeaveGroupRequest.MemberIdentity> members = new ArrayList<>();
        if (version < 3) {
            members.add(new LeaveGroupRequest.MemberIdentity(in.memberId(), null, null));
        } else {
            for (LeaveGroupRequestData.MemberIdentity m : in.members()) {
                members.add(new LeaveGroupRequest.MemberIdentity(m.memberId(), m.groupInstanceId(), m.reason()));
            }
        }
        return broker.leaveGroup(new LeaveGroupRequest(in.groupId(), members)).thenApply(r -> {
            LeaveGroupResponseData out = new LeaveGroupResponseData().setErrorCode(code(r.error()));
            if (version < 3) {
                // One member: its own error is the request's.
                if (r.error().isSuccess() && !r.members().isEmpty()) {
                    out.setErrorCode(code(r.members().get(0).error()));
                }
                return out;
            }
            for (LeaveGroupResponse.MemberResponse m : r.members()) {
                out.members()
                        .add(new LeaveGroupResponseData.MemberResponse()
                                .setMemberId(m.memberId())
                                .setGroupInstanceId(m.groupInstanceId())
                                .setErrorCode(code(m.error())));
            }
            return out;
        });
    }

    CompletableFuture<OffsetCommitResponseData> offsetCommit(AbstractRequest request) {
        OffsetCommitRequestData in = (OffsetCommitRequestData) request.data();
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> offsets = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (OffsetCommitRequestData.OffsetCommitRequestTopic topic : in.topics()) {
            for (OffsetCommitRequestData.OffsetCommitRequestPartition p : topic.partitions()) {
                offsets.put(
                        new TopicPartition(topic.name(), p.partitionIndex()),
                        new OffsetCommitRequest.CommittedOffset(
                                p.committedOffset(),
                                p.committedLeaderEpoch(),
                                p.committedMetadata() == null ? "" : p.committedMetadata(),
                                now));
            }
        }
        return broker.offsetCommit(new OffsetCommitRequest(
                        in.groupId(), in.generationIdOrMemberEpoch(), in.memberId(), in.groupInstanceId(), offsets))
                .thenApply(r -> {
                    OffsetCommitResponseData out = new OffsetCommitResponseData();
                    Map<String, OffsetCommitResponseData.OffsetCommitResponseTopic> byTopic = new HashMap<>();
                    offsets.keySet().forEach(tp -> {
                        var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created = new OffsetCommitResponseData.OffsetCommitResponseTopic().setName(name);
                            out.topics().add(created);
                            return created;
                        });
                        ApiError error = r.results().getOrDefault(tp, ApiError.NONE);
                        topic.partitions()
                                .add(new OffsetCommitResponseData.OffsetCommitResponsePartition()
                                        .setPartitionIndex(tp.partition())
                                        .setErrorCode(code(error)));
                    });
                    return out;
                });
    }

    /**
     * OffsetFetch v0-1 has no group-level error: as Kafka's broker does, the group's error goes into every
     * partition asked about (v0-1 always names its partitions).
     */
    private static OffsetFetchResponseData groupErrorInEveryPartition(OffsetFetchRequestData in, short error) {
        OffsetFetchResponseData out = new OffsetFetchResponseData();
        for (OffsetFetchRequestData.OffsetFetchRequestTopic t :
                in.topics() == null ? List.<OffsetFetchRequestData.OffsetFetchRequestTopic>of() : in.topics()) {
            var topic = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(t.name());
            for (int p : t.partitionIndexes()) {
                topic.partitions()
                        .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                .setPartitionIndex(p)
                                .setCommittedOffset(-1)
                                .setMetadata("")
                                .setErrorCode(error));
            }
            out.topics().add(topic);
        }
        return out;
    }

    CompletableFuture<OffsetFetchResponseData> offsetFetch(AbstractRequest request, short version) {
        OffsetFetchRequestData in = (OffsetFetchRequestData) request.data();
        if (version < 8) {
            List<TopicPartition> partitions = null;
            if (in.topics() != null) {
                partitions = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopic t : in.topics()) {
                    for (int p : t.partitionIndexes()) {
                        partitions.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            return broker.offsetFetch(new OffsetFetchRequest(in.groupId(), partitions, in.requireStable()))
                    .thenApply(r -> {
                        if (version < 2 && !r.error().isSuccess()) {
                            return groupErrorInEveryPartition(in, code(r.error()));
                        }
                        OffsetFetchResponseData out = new OffsetFetchResponseData().setErrorCode(code(r.error()));
                        Map<String, OffsetFetchResponseData.OffsetFetchResponseTopic> byTopic = new LinkedHashMap<>();
                        r.offsets().forEach((tp, data) -> {
                            var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                                var created = new OffsetFetchResponseData.OffsetFetchResponseTopic().setName(name);
                                out.topics().add(created);
                                return created;
                            });
                            topic.partitions()
                                    .add(new OffsetFetchResponseData.OffsetFetchResponsePartition()
                                            .setPartitionIndex(tp.partition())
                                            .setCommittedOffset(data.offset())
                                            .setCommittedLeaderEpoch(data.leaderEpoch())
                                            .setMetadata(data.metadata())
                                            .setErrorCode(code(data.error())));
                        });
                        return out;
                    });
        }
        List<CompletableFuture<OffsetFetchResponseData.OffsetFetchResponseGroup>> groups = new ArrayList<>();
        for (OffsetFetchRequestData.OffsetFetchRequestGroup group : in.groups()) {
            List<TopicPartition> partitions = null;
            if (group.topics() != null) {
                partitions = new ArrayList<>();
                for (OffsetFetchRequestData.OffsetFetchRequestTopics t : group.topics()) {
                    for (int p : t.partitionIndexes()) {
                        partitions.add(new TopicPartition(t.name(), p));
                    }
                }
            }
            groups.add(broker.offsetFetch(new OffsetFetchRequest(group.groupId(), partitions, in.requireStable()))
                    .thenApply(r -> groupOffsets(group.groupId(), r)));
        }
        return CompletableFuture.allOf(groups.toArray(CompletableFuture[]::new)).thenApply(done -> {
            OffsetFetchResponseData out = new OffsetFetchResponseData();
            groups.forEach(g -> out.groups().add(g.join()));
            return out;
        });
    }

    private static OffsetFetchResponseData.OffsetFetchResponseGroup groupOffsets(
            String groupId, OffsetFetchResponse r) {
        var out = new OffsetFetchResponseData.OffsetFetchResponseGroup()
                .setGroupId(groupId)
                .setErrorCode(code(r.error()));
        Map<String, OffsetFetchResponseData.OffsetFetchResponseTopics> byTopic = new LinkedHashMap<>();
        r.offsets().forEach((tp, data) -> {
            var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                var created = new OffsetFetchResponseData.OffsetFetchResponseTopics().setName(name);
                out.topics().add(created);
                return created;
            });
            topic.partitions()
                    .add(new OffsetFetchResponseData.OffsetFetchResponsePartitions()
                            .setPartitionIndex(tp.partition())
                            .setCommittedOffset(data.offset())
                            .setCommittedLeaderEpoch(data.leaderEpoch())
                            .setMetadata(data.metadata())
                            .setErrorCode(code(data.error())));
        });
        return out;
    }

    CompletableFuture<DescribeGroupsResponseData> describeGroups(AbstractRequest request) {
        DescribeGroupsRequestData in = (DescribeGroupsRequestData) request.data();
        return broker.describeGroups(new DescribeGroupsRequest(in.groups())).thenApply(r -> {
            DescribeGroupsResponseData out = new DescribeGroupsResponseData();
            for (DescribeGroupsResponse.DescribedGroup g : r.groups()) {
                var group = new DescribeGroupsResponseData.DescribedGroup()
                        .setErrorCode(code(g.error()))
                        .setGroupId(g.groupId())
                        .setGroupState(g.state() == null ? "" : g.state())
                        .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                        .setProtocolData(g.protocolName() == null ? "" : g.protocolName());
                for (DescribeGroupsResponse.DescribedMember m : g.members()) {
                    group.members()
                            .add(new DescribeGroupsResponseData.DescribedGroupMember()
                                    .setMemberId(m.memberId())
                                    .setGroupInstanceId(m.groupInstanceId())
                                    .setClientId(m.clientId() == null ? "" : m.clientId())
                                    .setClientHost("")
                                    .setMemberMetadata(m.metadata() == null ? new byte[0] : m.metadata())
                                    .setMemberAssignment(m.assignment() == null ? new byte[0] : m.assignment()));
                }
                out.groups().add(group);
            }
            return out;
        });
    }

    CompletableFuture<ListGroupsResponseData> listGroups(AbstractRequest request) {
        ListGroupsRequestData in = (ListGroupsRequestData) request.data();
        return broker.listGroups().thenApply(r -> {
            ListGroupsResponseData out = new ListGroupsResponseData().setErrorCode(code(r.error()));
            for (ListGroupsResponse.ListedGroup g : r.groups()) {
                if (!in.statesFilter().isEmpty()
                        && in.statesFilter().stream().noneMatch(s -> s.equalsIgnoreCase(g.state()))) {
                    continue;
                }
                if (!in.typesFilter().isEmpty() && in.typesFilter().stream().noneMatch("classic"::equalsIgnoreCase)) {
                    continue;
                }
                out.groups()
                        .add(new ListGroupsResponseData.ListedGroup()
                                .setGroupId(g.groupId())
                                .setProtocolType(g.protocolType() == null ? "" : g.protocolType())
                                .setGroupState(g.state())
                                .setGroupType("classic"));
            }
            return out;
        });
    }

    /** OffsetDelete: the group's error alone, or one error per partition asked about. */
    CompletableFuture<OffsetDeleteResponseData> offsetDelete(AbstractRequest request) {
        OffsetDeleteRequestData in = (OffsetDeleteRequestData) request.data();
        List<TopicPartition> partitions = new ArrayList<>();
        for (OffsetDeleteRequestData.OffsetDeleteRequestTopic t : in.topics()) {
            for (OffsetDeleteRequestData.OffsetDeleteRequestPartition p : t.partitions()) {
                partitions.add(new TopicPartition(t.name(), p.partitionIndex()));
            }
        }
        return broker.offsetDelete(new OffsetDeleteRequest(in.groupId(), partitions))
                .thenApply(r -> {
                    OffsetDeleteResponseData out = new OffsetDeleteResponseData().setErrorCode(code(r.error()));
                    if (!r.error().isSuccess()) {
                        return out;
                    }
                    for (TopicPartition tp : partitions) {
                        var topic = out.topics().find(tp.topic());
                        if (topic == null) {
                            topic = new OffsetDeleteResponseData.OffsetDeleteResponseTopic().setName(tp.topic());
                            out.topics().add(topic);
                        }
                        if (topic.partitions().find(tp.partition()) == null) {
                            topic.partitions()
                                    .add(new OffsetDeleteResponseData.OffsetDeleteResponsePartition()
                                            .setPartitionIndex(tp.partition())
                                            .setErrorCode(code(r.partitions().getOrDefault(tp, ApiError.NONE))));
                        }
                    }
                    return out;
                });
    }

    CompletableFuture<DeleteGroupsResponseData> deleteGroups(AbstractRequest request) {
        DeleteGroupsRequestData in = (DeleteGroupsRequestData) request.data();
        return broker.deleteGroups(new DeleteGroupsRequest(in.groupsNames())).thenApply(r -> {
            DeleteGroupsResponseData out = new DeleteGroupsResponseData();
            for (String group : in.groupsNames()) {
                ApiError error = r.results().getOrDefault(group, ApiError.NONE);
                out.results()
                        .add(new DeleteGroupsResponseData.DeletableGroupResult()
                                .setGroupId(group)
                                .setErrorCode(code(error)));
            }
            return out;
        });
    }
}
