package io.weir.clients.internals;

import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddOffsetsToTxnResponse;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnResponse;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.CreatePartitionsRequest;
import io.weir.common.protocol.CreatePartitionsResponse;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.CreateTopicsResponse;
import io.weir.common.protocol.DeleteRecordsRequest;
import io.weir.common.protocol.DeleteRecordsResponse;
import io.weir.common.protocol.DeleteTopicsRequest;
import io.weir.common.protocol.DeleteTopicsResponse;
import io.weir.common.protocol.DescribeClusterResponse;
import io.weir.common.protocol.DescribeConfigsRequest;
import io.weir.common.protocol.DescribeConfigsResponse;
import io.weir.common.protocol.DescribeProducersRequest;
import io.weir.common.protocol.DescribeProducersResponse;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.IncrementalAlterConfigsRequest;
import io.weir.common.protocol.IncrementalAlterConfigsResponse;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ListOffsetsResponse;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.ListTransactionsResponse;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.protocol.WriteTxnMarkersResponse;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A scriptable {@link BrokerApi} for unit tests of client logic: each call is answered by a replaceable
 * handler (unset handlers fail the test loudly) and every request is recorded in order.
 */
public class FakeBroker implements BrokerApi {
    public final List<Object> requests = new CopyOnWriteArrayList<>();

    public volatile Function<MetadataRequest, CompletableFuture<MetadataResponse>> onMetadata =
            r -> unscripted("metadata");
    public volatile Function<ProduceRequest, CompletableFuture<ProduceResponse>> onProduce = r -> unscripted("produce");
    public volatile Function<FetchRequest, CompletableFuture<FetchResponse>> onFetch = r -> unscripted("fetch");
    public volatile BiFunction<FetchRequest, ReadBuffers, CompletableFuture<FetchResponse>> onFetchInto =
            (r, buffers) -> onFetch.apply(r);
    public volatile Function<ListOffsetsRequest, CompletableFuture<ListOffsetsResponse>> onListOffsets =
            r -> unscripted("listOffsets");
    public volatile Function<CreateTopicsRequest, CompletableFuture<CreateTopicsResponse>> onCreateTopics =
            r -> unscripted("createTopics");
    public volatile Function<DeleteTopicsRequest, CompletableFuture<DeleteTopicsResponse>> onDeleteTopics =
            r -> unscripted("deleteTopics");
    public volatile Function<CreatePartitionsRequest, CompletableFuture<CreatePartitionsResponse>> onCreatePartitions =
            r -> unscripted("createPartitions");
    public volatile Function<DeleteRecordsRequest, CompletableFuture<DeleteRecordsResponse>> onDeleteRecords =
            r -> unscripted("deleteRecords");
    public volatile java.util.function.Supplier<CompletableFuture<DescribeClusterResponse>> onDescribeCluster =
            () -> unscripted("describeCluster");
    public volatile Function<DescribeConfigsRequest, CompletableFuture<DescribeConfigsResponse>> onDescribeConfigs =
            r -> unscripted("describeConfigs");
    public volatile Function<IncrementalAlterConfigsRequest, CompletableFuture<IncrementalAlterConfigsResponse>>
            onIncrementalAlterConfigs = r -> unscripted("incrementalAlterConfigs");
    /**
     * Answers as a broker does, so that idempotent producers (the default) work unscripted: a fresh producer id
     * at epoch 0, or the same id with the epoch bumped when the request carries one.
     */
    public volatile Function<InitProducerIdRequest, CompletableFuture<InitProducerIdResponse>> onInitProducerId =
            this::grantProducerId;

    public volatile Function<AddPartitionsToTxnRequest, CompletableFuture<AddPartitionsToTxnResponse>>
            onAddPartitionsToTxn = r -> CompletableFuture.completedFuture(new AddPartitionsToTxnResponse(
            r.partitions().stream().collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> ApiError.NONE))));
    public volatile Function<AddOffsetsToTxnRequest, CompletableFuture<AddOffsetsToTxnResponse>> onAddOffsetsToTxn =
            r -> CompletableFuture.completedFuture(new AddOffsetsToTxnResponse(ApiError.NONE));
    public volatile Function<EndTxnRequest, CompletableFuture<EndTxnResponse>> onEndTxn =
            r -> CompletableFuture.completedFuture(new EndTxnResponse(ApiError.NONE));
    public volatile Function<TxnOffsetCommitRequest, CompletableFuture<TxnOffsetCommitResponse>> onTxnOffsetCommit =
            r -> CompletableFuture.completedFuture(new TxnOffsetCommitResponse(r.offsets().keySet().stream()
                    .collect(java.util.stream.Collectors.toMap(tp -> tp, tp -> ApiError.NONE))));
    private final java.util.concurrent.atomic.AtomicLong nextProducerId =
            new java.util.concurrent.atomic.AtomicLong(1000);

    public CompletableFuture<InitProducerIdResponse> grantProducerId(InitProducerIdRequest r) {
        long id = r.producerId() >= 0 ? r.producerId() : nextProducerId.getAndIncrement();
        short epoch = r.producerId() >= 0 ? (short) (r.producerEpoch() + 1) : 0;
        return CompletableFuture.completedFuture(new InitProducerIdResponse(ApiError.NONE, id, epoch));
    }

    private static <T> CompletableFuture<T> unscripted(String call) {
        throw new AssertionError("FakeBroker: no script for " + call);
    }

    @SuppressWarnings("unchecked")
    public <T> List<T> requestsOf(Class<T> type) {
        return (List<T>) requests.stream().filter(type::isInstance).toList();
    }

    @Override
    public CompletableFuture<MetadataResponse> metadata(MetadataRequest request) {
        requests.add(request);
        return onMetadata.apply(request);
    }

    @Override
    public CompletableFuture<ProduceResponse> produce(ProduceRequest request) {
        requests.add(request);
        return onProduce.apply(request);
    }

    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        requests.add(request);
        return onFetch.apply(request);
    }

    /** A fetch with read buffers lent by the consumer: {@link #onFetchInto}, which by default ignores them. */
    @Override
    public CompletableFuture<FetchResponse> fetch(FetchRequest request, ReadBuffers buffers) {
        requests.add(request);
        return onFetchInto.apply(request, buffers);
    }

    @Override
    public CompletableFuture<ListOffsetsResponse> listOffsets(ListOffsetsRequest request) {
        requests.add(request);
        return onListOffsets.apply(request);
    }

    @Override
    public CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request) {
        requests.add(request);
        return onCreateTopics.apply(request);
    }

    @Override
    public CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request) {
        requests.add(request);
        return onDeleteTopics.apply(request);
    }

    @Override
    public CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request) {
        requests.add(request);
        return onCreatePartitions.apply(request);
    }

    @Override
    public CompletableFuture<DeleteRecordsResponse> deleteRecords(DeleteRecordsRequest request) {
        requests.add(request);
        return onDeleteRecords.apply(request);
    }

    @Override
    public CompletableFuture<DescribeClusterResponse> describeCluster() {
        requests.add("describeCluster");
        return onDescribeCluster.get();
    }

    @Override
    public CompletableFuture<DescribeConfigsResponse> describeConfigs(DescribeConfigsRequest request) {
        requests.add(request);
        return onDescribeConfigs.apply(request);
    }

    @Override
    public CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(
            IncrementalAlterConfigsRequest request) {
        requests.add(request);
        return onIncrementalAlterConfigs.apply(request);
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.JoinGroupResponse> joinGroup(
            io.weir.common.protocol.JoinGroupRequest request) {
        requests.add(request);
        return unscripted("joinGroup");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.SyncGroupResponse> syncGroup(
            io.weir.common.protocol.SyncGroupRequest request) {
        requests.add(request);
        return unscripted("syncGroup");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.HeartbeatResponse> heartbeat(
            io.weir.common.protocol.HeartbeatRequest request) {
        requests.add(request);
        return unscripted("heartbeat");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.LeaveGroupResponse> leaveGroup(
            io.weir.common.protocol.LeaveGroupRequest request) {
        requests.add(request);
        return unscripted("leaveGroup");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.OffsetCommitResponse> offsetCommit(
            io.weir.common.protocol.OffsetCommitRequest request) {
        requests.add(request);
        return unscripted("offsetCommit");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.OffsetFetchResponse> offsetFetch(
            io.weir.common.protocol.OffsetFetchRequest request) {
        requests.add(request);
        return unscripted("offsetFetch");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.ListGroupsResponse> listGroups() {
        return unscripted("listGroups");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.DescribeGroupsResponse> describeGroups(
            io.weir.common.protocol.DescribeGroupsRequest request) {
        requests.add(request);
        return unscripted("describeGroups");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.DeleteGroupsResponse> deleteGroups(
            io.weir.common.protocol.DeleteGroupsRequest request) {
        requests.add(request);
        return unscripted("deleteGroups");
    }

    @Override
    public CompletableFuture<io.weir.common.protocol.OffsetDeleteResponse> offsetDelete(
            io.weir.common.protocol.OffsetDeleteRequest request) {
        requests.add(request);
        return unscripted("offsetDelete");
    }

    @Override
    public CompletableFuture<InitProducerIdResponse> initProducerId(InitProducerIdRequest request) {
        requests.add(request);
        return onInitProducerId.apply(request);
    }

    @Override
    public CompletableFuture<AddPartitionsToTxnResponse> addPartitionsToTxn(AddPartitionsToTxnRequest request) {
        requests.add(request);
        return onAddPartitionsToTxn.apply(request);
    }

    @Override
    public CompletableFuture<AddOffsetsToTxnResponse> addOffsetsToTxn(AddOffsetsToTxnRequest request) {
        requests.add(request);
        return onAddOffsetsToTxn.apply(request);
    }

    @Override
    public CompletableFuture<EndTxnResponse> endTxn(EndTxnRequest request) {
        requests.add(request);
        return onEndTxn.apply(request);
    }

    @Override
    public CompletableFuture<TxnOffsetCommitResponse> txnOffsetCommit(TxnOffsetCommitRequest request) {
        requests.add(request);
        return onTxnOffsetCommit.apply(request);
    }

    @Override
    public CompletableFuture<WriteTxnMarkersResponse> writeTxnMarkers(WriteTxnMarkersRequest request) {
        throw new UnsupportedOperationException("FakeBroker does not serve writeTxnMarkers");
    }

    @Override
    public CompletableFuture<ListTransactionsResponse> listTransactions(ListTransactionsRequest request) {
        throw new UnsupportedOperationException("FakeBroker does not serve listTransactions");
    }

    @Override
    public CompletableFuture<DescribeTransactionsResponse> describeTransactions(DescribeTransactionsRequest request) {
        throw new UnsupportedOperationException("FakeBroker does not serve describeTransactions");
    }

    @Override
    public CompletableFuture<DescribeProducersResponse> describeProducers(DescribeProducersRequest request) {
        throw new UnsupportedOperationException("FakeBroker does not serve describeProducers");
    }
}
