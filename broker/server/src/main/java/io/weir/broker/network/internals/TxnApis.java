package io.weir.broker.network.internals;

import static io.weir.broker.network.internals.KafkaApis.code;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DescribeProducersRequest;
import io.weir.common.protocol.DescribeProducersResponse;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.ListTransactionsResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import org.apache.kafka.common.message.AddOffsetsToTxnRequestData;
import org.apache.kafka.common.message.AddOffsetsToTxnResponseData;
import org.apache.kafka.common.message.AddPartitionsToTxnRequestData;
import org.apache.kafka.common.message.AddPartitionsToTxnResponseData;
import org.apache.kafka.common.message.DescribeProducersRequestData;
import org.apache.kafka.common.message.DescribeProducersResponseData;
import org.apache.kafka.common.message.DescribeTransactionsRequestData;
import org.apache.kafka.common.message.DescribeTransactionsResponseData;
import org.apache.kafka.common.message.EndTxnRequestData;
import org.apache.kafka.common.message.EndTxnResponseData;
import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.message.ListTransactionsRequestData;
import org.apache.kafka.common.message.ListTransactionsResponseData;
import org.apache.kafka.common.message.TxnOffsetCommitRequestData;
import org.apache.kafka.common.message.TxnOffsetCommitResponseData;
import org.apache.kafka.common.message.WriteTxnMarkersRequestData;
import org.apache.kafka.common.message.WriteTxnMarkersResponseData;
import org.apache.kafka.common.requests.AbstractRequest;

/**
 * Idempotent and transactional producers (InitProducerId, AddPartitionsToTxn v0-3, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit) and transaction administration (WriteTxnMarkers, ListTransactions, DescribeTransactions,
 * DescribeProducers), translated to {@link BrokerApi}. Kafka's transaction protocol v1: partitions are added
 * explicitly, and EndTxn keeps the producer epoch. Stateless; any thread.
 */
final class TxnApis {
    private final BrokerApi broker;

    TxnApis(BrokerApi broker) {
        this.broker = broker;
    }

    /**
     * The error code a client of {@code version} understands: PRODUCER_FENCED came with KIP-588 (InitProducerId v4,
     * AddPartitionsToTxn v2, AddOffsetsToTxn v2, EndTxn v2, TxnOffsetCommit v3); older clients are told
     * INVALID_PRODUCER_EPOCH, as Kafka's broker tells them.
     */
    static short codeFor(ApiError error, short version, int fencedSince) {
        short code = code(error);
        if (version < fencedSince && code == org.apache.kafka.common.protocol.Errors.PRODUCER_FENCED.code()) {
            return org.apache.kafka.common.protocol.Errors.INVALID_PRODUCER_EPOCH.code();
        }
        return code;
    }

    CompletableFuture<InitProducerIdResponseData> initProducerId(AbstractRequest request, short version) {
        InitProducerIdRequestData in = (InitProducerIdRequestData) request.data();
        return broker.initProducerId(new InitProducerIdRequest(
                        in.transactionalId(), in.transactionTimeoutMs(), in.producerId(), in.producerEpoch()))
                .thenApply(r -> new InitProducerIdResponseData()
                        .setErrorCode(codeFor(r.error(), version, 4))
                        .setProducerId(r.producerId())
                        .setProducerEpoch(r.producerEpoch()));
    }

    CompletableFuture<AddPartitionsToTxnResponseData> addPartitionsToTxn(AbstractRequest request, short version) {
        AddPartitionsToTxnRequestData in = (AddPartitionsToTxnRequestData) request.data();
        Set<TopicPartition> partitions = new HashSet<>();
        for (AddPartitionsToTxnRequestData.AddPartitionsToTxnTopic topic : in.v3AndBelowTopics()) {
            for (int p : topic.partitions()) {
                partitions.add(new TopicPartition(topic.name(), p));
            }
        }
        return broker.addPartitionsToTxn(new AddPartitionsToTxnRequest(
                        in.v3AndBelowTransactionalId(),
                        in.v3AndBelowProducerId(),
                        in.v3AndBelowProducerEpoch(),
                        partitions))
                .thenApply(r -> {
                    var out = new AddPartitionsToTxnResponseData();
                    Map<String, AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult> byTopic = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created =
                                    new AddPartitionsToTxnResponseData.AddPartitionsToTxnTopicResult().setName(name);
                            out.resultsByTopicV3AndBelow().add(created);
                            return created;
                        });
                        ApiError error = r.results().getOrDefault(tp, ApiError.NONE);
                        topic.resultsByPartition()
                                .add(new AddPartitionsToTxnResponseData.AddPartitionsToTxnPartitionResult()
                                        .setPartitionIndex(tp.partition())
                                        .setPartitionErrorCode(codeFor(error, version, 2)));
                    }
                    return out;
                });
    }

    CompletableFuture<AddOffsetsToTxnResponseData> addOffsetsToTxn(AbstractRequest request, short version) {
        AddOffsetsToTxnRequestData in = (AddOffsetsToTxnRequestData) request.data();
        return broker.addOffsetsToTxn(new AddOffsetsToTxnRequest(
                        in.transactionalId(), in.producerId(), in.producerEpoch(), in.groupId()))
                .thenApply(r -> new AddOffsetsToTxnResponseData().setErrorCode(codeFor(r.error(), version, 2)));
    }

    CompletableFuture<EndTxnResponseData> endTxn(AbstractRequest request, short version) {
        EndTxnRequestData in = (EndTxnRequestData) request.data();
        return broker.endTxn(
                        new EndTxnRequest(in.transactionalId(), in.producerId(), in.producerEpoch(), in.committed()))
                .thenApply(r -> new EndTxnResponseData().setErrorCode(codeFor(r.error(), version, 2)));
    }

    CompletableFuture<TxnOffsetCommitResponseData> txnOffsetCommit(AbstractRequest request, short version) {
        TxnOffsetCommitRequestData in = (TxnOffsetCommitRequestData) request.data();
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> offsets = new LinkedHashMap<>();
        long now = System.currentTimeMillis();
        for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestTopic topic : in.topics()) {
            for (TxnOffsetCommitRequestData.TxnOffsetCommitRequestPartition p : topic.partitions()) {
                offsets.put(
                        new TopicPartition(topic.name(), p.partitionIndex()),
                        new OffsetCommitRequest.CommittedOffset(
                                p.committedOffset(),
                                p.committedLeaderEpoch(),
                                p.committedMetadata() == null ? "" : p.committedMetadata(),
                                now));
            }
        }
        return broker.txnOffsetCommit(new TxnOffsetCommitRequest(
                        in.transactionalId(),
                        in.groupId(),
                        in.producerId(),
                        in.producerEpoch(),
                        in.generationId(),
                        in.memberId(),
                        in.groupInstanceId(),
                        offsets))
                .thenApply(r -> {
                    var out = new TxnOffsetCommitResponseData();
                    Map<String, TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic> byTopic = new HashMap<>();
                    offsets.keySet().forEach(tp -> {
                        var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created = new TxnOffsetCommitResponseData.TxnOffsetCommitResponseTopic().setName(name);
                            out.topics().add(created);
                            return created;
                        });
                        topic.partitions()
                                .add(new TxnOffsetCommitResponseData.TxnOffsetCommitResponsePartition()
                                        .setPartitionIndex(tp.partition())
                                        .setErrorCode(
                                                codeFor(r.results().getOrDefault(tp, ApiError.NONE), version, 3)));
                    });
                    return out;
                });
    }

    CompletableFuture<WriteTxnMarkersResponseData> writeTxnMarkers(AbstractRequest request) {
        WriteTxnMarkersRequestData in = (WriteTxnMarkersRequestData) request.data();
        List<WriteTxnMarkersRequest.TxnMarker> markers = new ArrayList<>();
        for (WriteTxnMarkersRequestData.WritableTxnMarker m : in.markers()) {
            List<TopicPartition> partitions = new ArrayList<>();
            for (WriteTxnMarkersRequestData.WritableTxnMarkerTopic t : m.topics()) {
                for (int p : t.partitionIndexes()) {
                    partitions.add(new TopicPartition(t.name(), p));
                }
            }
            markers.add(new WriteTxnMarkersRequest.TxnMarker(
                    m.producerId(), m.producerEpoch(), m.transactionResult(), m.coordinatorEpoch(), partitions));
        }
        return broker.writeTxnMarkers(new WriteTxnMarkersRequest(markers)).thenApply(r -> {
            var out = new WriteTxnMarkersResponseData();
            r.results().forEach((producerId, results) -> {
                var marker = new WriteTxnMarkersResponseData.WritableTxnMarkerResult().setProducerId(producerId);
                Map<String, WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult> byTopic = new TreeMap<>();
                results.forEach((tp, error) -> byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created = new WriteTxnMarkersResponseData.WritableTxnMarkerTopicResult().setName(name);
                            marker.topics().add(created);
                            return created;
                        })
                        .partitions()
                        .add(new WriteTxnMarkersResponseData.WritableTxnMarkerPartitionResult()
                                .setPartitionIndex(tp.partition())
                                .setErrorCode(code(error))));
                out.markers().add(marker);
            });
            return out;
        });
    }

    CompletableFuture<ListTransactionsResponseData> listTransactions(AbstractRequest request) {
        ListTransactionsRequestData in = (ListTransactionsRequestData) request.data();
        return broker.listTransactions(new ListTransactionsRequest(
                        new HashSet<>(in.stateFilters()), new HashSet<>(in.producerIdFilters()), in.durationFilter()))
                .thenApply(r -> {
                    var out = new ListTransactionsResponseData().setErrorCode(code(r.error()));
                    for (ListTransactionsResponse.TransactionListing t : r.transactions()) {
                        out.transactionStates()
                                .add(new ListTransactionsResponseData.TransactionState()
                                        .setTransactionalId(t.transactionalId())
                                        .setProducerId(t.producerId())
                                        .setTransactionState(t.state()));
                    }
                    return out;
                });
    }

    CompletableFuture<DescribeTransactionsResponseData> describeTransactions(AbstractRequest request) {
        DescribeTransactionsRequestData in = (DescribeTransactionsRequestData) request.data();
        return broker.describeTransactions(new DescribeTransactionsRequest(in.transactionalIds()))
                .thenApply(r -> {
                    var out = new DescribeTransactionsResponseData();
                    for (String id : in.transactionalIds()) {
                        DescribeTransactionsResponse.DescribedTransaction t =
                                r.transactions().get(id);
                        var state = new DescribeTransactionsResponseData.TransactionState().setTransactionalId(id);
                        if (t == null) {
                            state.setErrorCode(
                                    org.apache.kafka.common.protocol.Errors.TRANSACTIONAL_ID_NOT_FOUND.code());
                        } else {
                            state.setErrorCode(code(t.error()))
                                    .setTransactionState(t.state() == null ? "" : t.state())
                                    .setTransactionTimeoutMs(t.transactionTimeoutMs())
                                    .setTransactionStartTimeMs(t.transactionStartTimeMs())
                                    .setProducerId(t.producerId())
                                    .setProducerEpoch(t.producerEpoch());
                            Map<String, List<Integer>> byTopic = new TreeMap<>();
                            t.partitions().forEach(tp -> byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>())
                                    .add(tp.partition()));
                            byTopic.forEach((name, parts) -> state.topics()
                                    .add(new DescribeTransactionsResponseData.TopicData()
                                            .setTopic(name)
                                            .setPartitions(parts)));
                        }
                        out.transactionStates().add(state);
                    }
                    return out;
                });
    }

    CompletableFuture<DescribeProducersResponseData> describeProducers(AbstractRequest request) {
        DescribeProducersRequestData in = (DescribeProducersRequestData) request.data();
        List<TopicPartition> partitions = new ArrayList<>();
        for (DescribeProducersRequestData.TopicRequest t : in.topics()) {
            for (int p : t.partitionIndexes()) {
                partitions.add(new TopicPartition(t.name(), p));
            }
        }
        return broker.describeProducers(new DescribeProducersRequest(partitions))
                .thenApply(r -> {
                    var out = new DescribeProducersResponseData();
                    Map<String, DescribeProducersResponseData.TopicResponse> byTopic = new HashMap<>();
                    for (TopicPartition tp : partitions) {
                        var topic = byTopic.computeIfAbsent(tp.topic(), name -> {
                            var created = new DescribeProducersResponseData.TopicResponse().setName(name);
                            out.topics().add(created);
                            return created;
                        });
                        DescribeProducersResponse.PartitionProducers producers =
                                r.partitions().get(tp);
                        var partition =
                                new DescribeProducersResponseData.PartitionResponse().setPartitionIndex(tp.partition());
                        if (producers != null) {
                            partition
                                    .setErrorCode(code(producers.error()))
                                    .setErrorMessage(KafkaApis.message(producers.error()));
                            for (DescribeProducersResponse.ProducerState p : producers.producers()) {
                                partition
                                        .activeProducers()
                                        .add(new DescribeProducersResponseData.ProducerState()
                                                .setProducerId(p.producerId())
                                                .setProducerEpoch(p.producerEpoch())
                                                .setLastSequence(p.lastSequence())
                                                .setLastTimestamp(p.lastTimestamp())
                                                .setCoordinatorEpoch(p.coordinatorEpoch())
                                                .setCurrentTxnStartOffset(p.currentTxnStartOffset()));
                            }
                        }
                        topic.partitions().add(partition);
                    }
                    return out;
                });
    }
}
