package io.weir.broker.network.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.utils.Time;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.ListOffsetsResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.requests.AbstractRequest;
import org.junit.jupiter.api.Test;

/**
 * The listener's translation where Kafka's answer depends on the version asked for or on a special value: each
 * request is encoded at its version, decoded as the listener decodes it, answered by a scripted broker, and the
 * answer encoded at the same version (an answer a version cannot carry fails there).
 */
class TranslationDetailsTest {
    private static final BrokerIdentity ME = new BrokerIdentity(0, "cluster", "127.0.0.1", 9092);

    /** A broker answering {@code method} with {@code answer}; every other call is unexpected. */
    private static BrokerApi broker(String method, Object answer, AtomicReference<Object> request) {
        return (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(), new Class<?>[] {BrokerApi.class}, (proxy, m, args) -> {
                    if (m.getName().equals(method)) {
                        request.set(args[0]);
                        return CompletableFuture.completedFuture(answer);
                    }
                    throw new UnsupportedOperationException(m.getName());
                });
    }

    private static AbstractRequest decode(ApiKeys key, short version, ApiMessage body) {
        ByteBuffer bytes = MessageUtil.toByteBufferAccessor(body, version).buffer();
        return AbstractRequest.parseRequest(key, version, new ByteBufferAccessor(bytes)).request;
    }

    /** The answer of {@code apis} to {@code body}, which must encode at {@code version}. */
    static <T extends ApiMessage> T answer(KafkaApis apis, ApiKeys key, short version, ApiMessage body) {
        AbstractRequest request = decode(key, version, body);
        var header = new org.apache.kafka.common.requests.RequestHeader(key, version, "test", 1);
        @SuppressWarnings("unchecked")
        T out = (T) apis.handle(header, request).join();
        MessageUtil.toByteBufferAccessor(out, version); // must be encodable at the version asked for
        return out;
    }

    @Test
    void listOffsetsEarliestLocalIsTheLogStartAndLatestTieredIsNone() {
        AtomicReference<Object> asked = new AtomicReference<>();
        TopicPartition tp0 = new TopicPartition("t", 0);
        BrokerApi broker = broker(
                "listOffsets",
                new ListOffsetsResponse(Map.of(tp0, new ListOffsetsResponse.PartitionOffset(ApiError.NONE, 7, -1))),
                asked);
        ListOffsetsRequestData body = new ListOffsetsRequestData().setReplicaId(-1);
        body.topics()
                .add(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName("t")
                        .setPartitions(List.of(
                                new ListOffsetsRequestData.ListOffsetsPartition()
                                        .setPartitionIndex(0)
                                        .setTimestamp(-4),
                                new ListOffsetsRequestData.ListOffsetsPartition()
                                        .setPartitionIndex(1)
                                        .setTimestamp(-5))));
        ListOffsetsResponseData out = answer(
                new KafkaApis(broker, () -> ME, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                ApiKeys.LIST_OFFSETS,
                (short) 9,
                body);
        assertEquals(
                Map.of(tp0, ListOffsetsRequest.EARLIEST),
                ((ListOffsetsRequest) asked.get()).timestamps(),
                "earliest-local is the earliest: every Weir segment is local; latest-tiered asks nothing");
        var partitions = out.topics().get(0).partitions();
        assertEquals(7, partitions.get(0).offset());
        assertEquals(0, partitions.get(1).errorCode());
        assertEquals(-1, partitions.get(1).offset(), "nothing is tiered");
    }

    @Test
    void metadataMarksOnlyKafkasInternalTopicsInternalAndAnswersAnIdLookupUnknown() {
        Map<String, MetadataResponse.TopicMetadata> topics = new HashMap<>();
        for (String name : List.of("__consumer_offsets", "__transaction_state", "__mine", "orders")) {
            topics.put(name, new MetadataResponse.TopicMetadata(ApiError.NONE, name, 1, Map.of()));
        }
        BrokerApi broker = broker("metadata", new MetadataResponse(0, "cluster", topics), new AtomicReference<>());
        Uuid id = Uuid.randomUuid();
        MetadataRequestData body = new MetadataRequestData();
        body.topics().add(new MetadataRequestData.MetadataRequestTopic().setName("orders"));
        body.topics()
                .add(new MetadataRequestData.MetadataRequestTopic()
                        .setName(null)
                        .setTopicId(id));
        MetadataResponseData out = answer(
                new KafkaApis(broker, () -> ME, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                ApiKeys.METADATA,
                (short) 12,
                body);
        Map<String, Boolean> internal = new HashMap<>();
        MetadataResponseData.MetadataResponseTopic byId = null;
        for (MetadataResponseData.MetadataResponseTopic t : out.topics()) {
            if (t.topicId().equals(id)) {
                byId = t;
            } else {
                internal.put(t.name(), t.isInternal());
            }
        }
        assertEquals(
                Map.of("__consumer_offsets", true, "__transaction_state", true, "__mine", false, "orders", false),
                internal);
        assertEquals(id, byId.topicId());
        assertEquals(org.apache.kafka.common.protocol.Errors.UNKNOWN_TOPIC_ID.code(), byId.errorCode());
    }

    @Test
    void aFencedProducerIsToldInvalidProducerEpochBelowTheVersionThatKnowsProducerFenced() {
        BrokerApi broker = broker(
                "endTxn",
                new EndTxnResponse(new ApiError(Errors.PRODUCER_FENCED, "epoch 0 is older than 1")),
                new AtomicReference<>());
        KafkaApis apis = new KafkaApis(broker, () -> ME, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1));
        EndTxnRequestData body = new EndTxnRequestData()
                .setTransactionalId("t")
                .setProducerId(1)
                .setProducerEpoch((short) 0)
                .setCommitted(true);
        EndTxnResponseData v1 = answer(apis, ApiKeys.END_TXN, (short) 1, body);
        EndTxnResponseData v2 = answer(apis, ApiKeys.END_TXN, (short) 2, body);
        assertEquals(org.apache.kafka.common.protocol.Errors.INVALID_PRODUCER_EPOCH.code(), v1.errorCode());
        assertEquals(org.apache.kafka.common.protocol.Errors.PRODUCER_FENCED.code(), v2.errorCode());
    }

    @Test
    void offsetFetchBelowV2CarriesTheGroupErrorInEveryPartition() {
        BrokerApi broker = broker(
                "offsetFetch",
                new OffsetFetchResponse(new ApiError(Errors.COORDINATOR_LOAD_IN_PROGRESS, "loading"), Map.of()),
                new AtomicReference<>());
        OffsetFetchRequestData body = new OffsetFetchRequestData().setGroupId("g");
        body.topics()
                .add(new OffsetFetchRequestData.OffsetFetchRequestTopic()
                        .setName("t")
                        .setPartitionIndexes(List.of(0, 1)));
        OffsetFetchResponseData out = answer(
                new KafkaApis(broker, () -> ME, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                ApiKeys.OFFSET_FETCH,
                (short) 1,
                body);
        var partitions = out.topics().get(0).partitions();
        assertEquals(2, partitions.size());
        for (var p : partitions) {
            assertEquals(org.apache.kafka.common.protocol.Errors.COORDINATOR_LOAD_IN_PROGRESS.code(), p.errorCode());
        }
        assertEquals(0, out.errorCode(), "v1 has no group-level error field");
    }

    @Test
    void joinGroupFromV4RequiresAKnownMemberIdAndAnswersTheIdItHandsOut() {
        for (short version : new short[] {3, 4, 9}) {
            AtomicReference<Object> asked = new AtomicReference<>();
            BrokerApi broker = broker(
                    "joinGroup",
                    io.weir.common.protocol.JoinGroupResponse.error(
                            new ApiError(Errors.MEMBER_ID_REQUIRED, "join again"), "client-1"),
                    asked);
            var body = new org.apache.kafka.common.message.JoinGroupRequestData()
                    .setGroupId("g")
                    .setMemberId("")
                    .setProtocolType("consumer");
            body.protocols()
                    .add(new org.apache.kafka.common.message.JoinGroupRequestData.JoinGroupRequestProtocol()
                            .setName("range")
                            .setMetadata(new byte[0]));
            org.apache.kafka.common.message.JoinGroupResponseData out = answer(
                    new KafkaApis(broker, () -> ME, 1 << 20, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                    ApiKeys.JOIN_GROUP,
                    version,
                    body);
            assertEquals(
                    version >= 4,
                    ((io.weir.common.protocol.JoinGroupRequest) asked.get()).requireKnownMemberId(),
                    "v" + version);
            assertEquals(org.apache.kafka.common.protocol.Errors.MEMBER_ID_REQUIRED.code(), out.errorCode());
            assertEquals("client-1", out.memberId());
        }
    }

    @Test
    void aFetchAnswerCarriesNoMoreThanFetchMaxBytes() {
        AtomicReference<Object> asked = new AtomicReference<>();
        BrokerApi broker = broker("fetch", new io.weir.common.protocol.FetchResponse(Map.of()), asked);
        var body = new org.apache.kafka.common.message.FetchRequestData()
                .setMaxBytes(Integer.MAX_VALUE)
                .setSessionEpoch(-1)
                .setReplicaId(-1);
        answer(
                new KafkaApis(broker, () -> ME, 4096, new FetchSessionCache(0, Time.SYSTEM, () -> 1)),
                ApiKeys.FETCH,
                (short) 12,
                body);
        assertEquals(4096, ((io.weir.common.protocol.FetchRequest) asked.get()).maxBytes());
    }
}
