package io.weir.broker.network.internals;

import static io.weir.broker.network.internals.KafkaApis.code;
import static io.weir.broker.network.internals.KafkaApis.message;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.FileBatches;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.FetchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Metadata, Produce, Fetch, ListOffsets and FindCoordinator, translated to {@link BrokerApi} calls. The broker is a
 * cluster of one: it leads every partition (leader epoch 0, one replica, in sync) and coordinates every group and
 * transactional id. Fetch keeps Kafka's fetch sessions (KIP-227, {@link FetchSessionCache}), and reads through the
 * broker's {@link FileFetch} when it has one, so batches stay in the segment files until the socket sends them.
 * Stateless but for the session cache; any thread.
 */
final class DataApis {
    private static final Logger log = LoggerFactory.getLogger(DataApis.class);
    /** Kafka's internal topics: Metadata marks these, and only these, internal. */
    private static final Set<String> INTERNAL_TOPICS = Set.of("__consumer_offsets", "__transaction_state");
    /** ListOffsets' timestamp for the earliest offset on local disk (KIP-405); all of a Weir log is local. */
    static final long EARLIEST_LOCAL_TIMESTAMP = -4L;
    /** ListOffsets' timestamp for the latest tiered offset (KIP-1005): nothing is tiered, so none. */
    static final long LATEST_TIERED_TIMESTAMP = -5L;

    private final BrokerApi broker;
    private final Supplier<BrokerIdentity> identity;
    private final int fetchMaxBytes;
    private final FetchSessionCache sessions;
    /** The broker's read path that leaves batches in the segment files, or null: fetches then read into the heap. */
    private final FileFetch fileFetch;

    DataApis(BrokerApi broker, Supplier<BrokerIdentity> identity, int fetchMaxBytes, FetchSessionCache sessions) {
        this.broker = broker;
        this.fileFetch = broker instanceof FileFetch f ? f : null;
        this.identity = identity;
        this.fetchMaxBytes = fetchMaxBytes;
        this.sessions = sessions;
    }

    CompletableFuture<MetadataResponseData> metadata(AbstractRequest request, short version) {
        MetadataRequestData in = (MetadataRequestData) request.data();
        List<String> topics = null;
        List<Uuid> byIdOnly = new ArrayList<>();
        if (in.topics() != null && !(version == 0 && in.topics().isEmpty())) {
            topics = new ArrayList<>();
            for (MetadataRequestData.MetadataRequestTopic topic : in.topics()) {
                if (topic.name() != null) {
                    topics.add(topic.name());
                } else {
                    byIdOnly.add(topic.topicId());
                }
            }
        }
        boolean autoCreate = version < 4 || in.allowAutoTopicCreation();
        return broker.metadata(new MetadataRequest(topics, autoCreate)).thenApply(answer -> {
            BrokerIdentity me = identity.get();
            MetadataResponseData out =
                    new MetadataResponseData().setClusterId(me.clusterId()).setControllerId(me.nodeId());
            out.brokers()
                    .add(new MetadataResponseData.MetadataResponseBroker()
                            .setNodeId(me.nodeId())
                            .setHost(me.host())
                            .setPort(me.port()));
            for (MetadataResponse.TopicMetadata topic : answer.topics().values()) {
                MetadataResponseData.MetadataResponseTopic t = new MetadataResponseData.MetadataResponseTopic()
                        .setName(topic.topic())
                        .setErrorCode(code(topic.error()))
                        .setIsInternal(INTERNAL_TOPICS.contains(topic.topic()));
                for (int p = 0; p < topic.partitions(); p++) {
                    t.partitions()
                            .add(new MetadataResponseData.MetadataResponsePartition()
                                    .setPartitionIndex(p)
                                    .setLeaderId(me.nodeId())
                                    .setLeaderEpoch(0)
                                    .setReplicaNodes(List.of(me.nodeId()))
                                    .setIsrNodes(List.of(me.nodeId()))
                                    .setOfflineReplicas(List.of()));
                }
                out.topics().add(t);
            }
            // Weir's topics have no ids (Metadata answers the zero id): a lookup by id alone finds nothing.
            for (Uuid id : byIdOnly) {
                out.topics()
                        .add(new MetadataResponseData.MetadataResponseTopic()
                                .setName(null)
                                .setTopicId(id)
                                .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
            }
            return out;
        });
    }

    CompletableFuture<ProduceResponseData> produce(AbstractRequest request) {
        ProduceRequestData in = (ProduceRequestData) request.data();
        Map<TopicPartition, ByteBuffer> batches = new LinkedHashMap<>();
        for (ProduceRequestData.TopicProduceData topic : in.topicData()) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                ByteBuffer records =
                        partition.records() instanceof MemoryRecords memory ? memory.buffer() : ByteBuffer.allocate(0);
                batches.put(new TopicPartition(topic.name(), partition.index()), records);
            }
        }
        CompletableFuture<ProduceResponse> answer =
                broker.produce(new ProduceRequest(in.acks(), in.timeoutMs(), in.transactionalId(), batches));
        if (in.acks() == 0) {
            // No answer; a partition's error fails the future, which closes the connection as Kafka does.
            return answer.thenApply(result -> {
                result.partitions().forEach((tp, r) -> {
                    if (!r.error().isSuccess()) {
                        throw new IllegalStateException("acks=0 produce to " + tp + " failed: "
                                + r.error().message());
                    }
                });
                return null;
            });
        }
        return answer.thenApply(result -> {
            Map<String, ProduceResponseData.TopicProduceResponse> byTopic = new LinkedHashMap<>();
            ProduceResponseData out = new ProduceResponseData();
            batches.keySet().forEach(tp -> {
                ProduceResponse.PartitionResponse r = result.partitions().get(tp);
                ProduceResponseData.TopicProduceResponse topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                    ProduceResponseData.TopicProduceResponse created =
                            new ProduceResponseData.TopicProduceResponse().setName(name);
                    out.responses().add(created);
                    return created;
                });
                ProduceResponseData.PartitionProduceResponse p =
                        new ProduceResponseData.PartitionProduceResponse().setIndex(tp.partition());
                if (r == null) {
                    p.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setBaseOffset(-1);
                } else {
                    p.setErrorCode(code(r.error()))
                            .setErrorMessage(message(r.error()))
                            .setBaseOffset(r.baseOffset())
                            .setLogAppendTimeMs(r.logAppendTime())
                            .setLogStartOffset(r.logStartOffset());
                }
                topic.partitionResponses().add(p);
            });
            return out;
        });
    }

    /** Serves a Fetch within its fetch session, if any (see {@link FetchSessionCache}). */
    CompletableFuture<FetchResponseData> fetch(AbstractRequest request, String clientId) {
        FetchRequestData in = (FetchRequestData) request.data();
        Map<TopicPartition, FetchRequest.PartitionFetch> requested = new LinkedHashMap<>();
        for (FetchRequestData.FetchTopic topic : in.topics()) {
            for (FetchRequestData.FetchPartition partition : topic.partitions()) {
                requested.put(
                        new TopicPartition(topic.topic(), partition.partition()),
                        new FetchRequest.PartitionFetch(partition.fetchOffset(), partition.partitionMaxBytes()));
            }
        }
        List<TopicPartition> forgotten = new ArrayList<>();
        for (FetchRequestData.ForgottenTopic topic : in.forgottenTopicsData()) {
            for (int partition : topic.partitions()) {
                forgotten.add(new TopicPartition(topic.topic(), partition));
            }
        }
        FetchSessionCache.FetchContext context =
                sessions.newContext(in.sessionId(), in.sessionEpoch(), requested, forgotten);
        if (context instanceof FetchSessionCache.SessionError error) {
            log.debug("Fetch from client {} answered {}: {}", clientId, error.error(), error.reason());
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(error.error().code())
                    .setSessionId(FetchMetadata.INVALID_SESSION_ID));
        }
        Map<TopicPartition, FetchRequest.PartitionFetch> partitions = context.toFetch();
        IsolationLevel isolation = isolation(in.isolationLevel());
        int maxBytes = Math.min(in.maxBytes(), fetchMaxBytes);
        FetchRequest fetch = new FetchRequest(in.maxWaitMs(), in.minBytes(), maxBytes, isolation, partitions);
        CompletableFuture<FileFetch.Fetched> read = fileFetch != null
                ? fileFetch.fetchToFile(fetch)
                : broker.fetch(fetch).thenApply(r -> new FileFetch.Fetched(r, Map.of()));
        return read.thenApply(fetched -> {
            FetchResponse result = fetched.response();
            FetchSessionCache.Answer answer = sessions.complete(
                    context, result.partitions(), fetched.onDisk().keySet());
            FetchResponseData out =
                    new FetchResponseData().setErrorCode(answer.error().code()).setSessionId(answer.sessionId());
            Map<String, FetchResponseData.FetchableTopicResponse> byTopic = new HashMap<>();
            for (TopicPartition tp : answer.included()) {
                FetchResponseData.FetchableTopicResponse topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                    FetchResponseData.FetchableTopicResponse created =
                            new FetchResponseData.FetchableTopicResponse().setTopic(name);
                    out.responses().add(created);
                    return created;
                });
                topic.partitions()
                        .add(partitionData(
                                tp,
                                result.partitions().get(tp),
                                fetched.onDisk().get(tp),
                                isolation));
            }
            return out;
        });
    }

    /** @param onDisk the partition's batches when they were left in a segment file, else null */
    private static FetchResponseData.PartitionData partitionData(
            TopicPartition tp, FetchResponse.PartitionData data, FileBatches onDisk, IsolationLevel isolation) {
        FetchResponseData.PartitionData out = new FetchResponseData.PartitionData().setPartitionIndex(tp.partition());
        if (data == null) {
            return out.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code()).setRecords(MemoryRecords.EMPTY);
        }
        List<FetchResponseData.AbortedTransaction> aborted = null;
        if (isolation == IsolationLevel.READ_COMMITTED) {
            aborted = new ArrayList<>();
            for (FetchResponse.AbortedTransaction txn : data.abortedTransactions()) {
                aborted.add(new FetchResponseData.AbortedTransaction()
                        .setProducerId(txn.producerId())
                        .setFirstOffset(txn.firstOffset()));
            }
        }
        return out.setErrorCode(code(data.error()))
                .setHighWatermark(data.highWatermark())
                .setLastStableOffset(data.lastStableOffset())
                .setLogStartOffset(data.logStartOffset())
                .setAbortedTransactions(aborted)
                .setPreferredReadReplica(-1)
                .setRecords(
                        onDisk != null
                                ? new FileBatchesRecords(onDisk)
                                : MemoryRecords.readableRecords(data.records()));
    }

    CompletableFuture<ListOffsetsResponseData> listOffsets(AbstractRequest request, short version) {
        ListOffsetsRequestData in = (ListOffsetsRequestData) request.data();
        Map<TopicPartition, Long> asked = new LinkedHashMap<>();
        Map<TopicPartition, Long> specs = new LinkedHashMap<>();
        for (ListOffsetsRequestData.ListOffsetsTopic topic : in.topics()) {
            for (ListOffsetsRequestData.ListOffsetsPartition partition : topic.partitions()) {
                TopicPartition tp = new TopicPartition(topic.name(), partition.partitionIndex());
                long timestamp = partition.timestamp();
                asked.put(tp, timestamp);
                if (timestamp == EARLIEST_LOCAL_TIMESTAMP) {
                    specs.put(tp, ListOffsetsRequest.EARLIEST);
                } else if (timestamp != LATEST_TIERED_TIMESTAMP) {
                    specs.put(tp, timestamp);
                }
            }
        }
        return broker.listOffsets(new ListOffsetsRequest(isolation(in.isolationLevel()), specs))
                .thenApply(result -> {
                    ListOffsetsResponseData out = new ListOffsetsResponseData();
                    Map<String, ListOffsetsResponseData.ListOffsetsTopicResponse> byTopic = new HashMap<>();
                    asked.forEach((tp, timestamp) -> {
                        var r = timestamp == LATEST_TIERED_TIMESTAMP
                                ? new ListOffsetsResponse.PartitionOffset(ApiError.NONE, -1L, -1L)
                                : result.partitions().get(tp);
                        var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created = new ListOffsetsResponseData.ListOffsetsTopicResponse().setName(name);
                            out.topics().add(created);
                            return created;
                        });
                        var p = new ListOffsetsResponseData.ListOffsetsPartitionResponse()
                                .setPartitionIndex(tp.partition());
                        if (r == null) {
                            p.setErrorCode(Errors.UNKNOWN_SERVER_ERROR.code());
                        } else {
                            p.setErrorCode(code(r.error()))
                                    .setOffset(r.offset())
                                    .setTimestamp(r.timestamp());
                            if (version >= 4 && r.error().isSuccess() && r.offset() >= 0) {
                                p.setLeaderEpoch(0); // a field of v4+: writing it to an older answer fails
                            }
                        }
                        topic.partitions().add(p);
                    });
                    return out;
                });
    }

    /** Every group and transactional id is coordinated here, the only broker of the cluster. */
    CompletableFuture<FindCoordinatorResponseData> findCoordinator(AbstractRequest request, short version) {
        FindCoordinatorRequestData in = (FindCoordinatorRequestData) request.data();
        BrokerIdentity me = identity.get();
        // 0: group, 1: transaction; share groups (2) are not served.
        boolean known = in.keyType() == 0 || in.keyType() == 1;
        short error = known ? Errors.NONE.code() : Errors.INVALID_REQUEST.code();
        String message =
                known ? null : "Weir coordinates groups (0) and transactions (1), not key type " + in.keyType();
        FindCoordinatorResponseData out = new FindCoordinatorResponseData();
        if (version < 4) {
            out.setErrorCode(error).setErrorMessage(message);
            if (known) {
                out.setNodeId(me.nodeId()).setHost(me.host()).setPort(me.port());
            } else {
                out.setNodeId(-1).setHost("").setPort(-1);
            }
            return CompletableFuture.completedFuture(out);
        }
        for (String key : in.coordinatorKeys()) {
            out.coordinators()
                    .add(new FindCoordinatorResponseData.Coordinator()
                            .setKey(key)
                            .setErrorCode(error)
                            .setErrorMessage(message)
                            .setNodeId(known ? me.nodeId() : -1)
                            .setHost(known ? me.host() : "")
                            .setPort(known ? me.port() : -1));
        }
        return CompletableFuture.completedFuture(out);
    }

    static IsolationLevel isolation(byte code) {
        return code == 1 ? IsolationLevel.READ_COMMITTED : IsolationLevel.READ_UNCOMMITTED;
    }
}
