package io.weir.common.protocol;

import java.util.concurrent.CompletableFuture;

/**
 * The one narrow door between clients and a broker. Each call mirrors a Kafka request and answers with an
 * error code per partition (or per topic) rather than throwing, so that one bad partition does not fail the
 * others. The in-process transport implements it with direct calls; a network transport speaking the Kafka
 * protocol will implement the same interface.
 *
 * <p>Every method is thread-safe and never blocks the caller for longer than it takes to hand the request
 * over: produce completes when the append thread has written (and, per flush policy, synced) the batches;
 * fetch completes when enough bytes arrived or its wait ran out. A future completes exceptionally only when
 * the transport itself fails (broker closed); per-partition problems are {@link Errors} in the response.
 */
public interface BrokerApi {

    CompletableFuture<MetadataResponse> metadata(MetadataRequest request);

    CompletableFuture<ProduceResponse> produce(ProduceRequest request);

    CompletableFuture<FetchResponse> fetch(FetchRequest request);

    /**
     * {@link #fetch(FetchRequest)}, reading the batches into buffers from {@code buffers} where the broker reads into
     * memory (see {@link ReadBuffers} for who owns them when); a broker that does not lend buffers fetches as usual.
     */
    default CompletableFuture<FetchResponse> fetch(FetchRequest request, ReadBuffers buffers) {
        return fetch(request);
    }

    CompletableFuture<ListOffsetsResponse> listOffsets(ListOffsetsRequest request);

    CompletableFuture<CreateTopicsResponse> createTopics(CreateTopicsRequest request);

    CompletableFuture<DeleteTopicsResponse> deleteTopics(DeleteTopicsRequest request);

    CompletableFuture<CreatePartitionsResponse> createPartitions(CreatePartitionsRequest request);

    CompletableFuture<DeleteRecordsResponse> deleteRecords(DeleteRecordsRequest request);

    CompletableFuture<DescribeClusterResponse> describeCluster();

    // ---- configuration ----

    CompletableFuture<DescribeConfigsResponse> describeConfigs(DescribeConfigsRequest request);

    CompletableFuture<IncrementalAlterConfigsResponse> incrementalAlterConfigs(IncrementalAlterConfigsRequest request);

    // ---- consumer groups: membership (answered when the rebalance phase ends) ----

    CompletableFuture<JoinGroupResponse> joinGroup(JoinGroupRequest request);

    CompletableFuture<SyncGroupResponse> syncGroup(SyncGroupRequest request);

    CompletableFuture<HeartbeatResponse> heartbeat(HeartbeatRequest request);

    CompletableFuture<LeaveGroupResponse> leaveGroup(LeaveGroupRequest request);

    // ---- consumer groups: offsets and administration ----

    CompletableFuture<OffsetCommitResponse> offsetCommit(OffsetCommitRequest request);

    CompletableFuture<OffsetFetchResponse> offsetFetch(OffsetFetchRequest request);

    CompletableFuture<ListGroupsResponse> listGroups();

    CompletableFuture<DescribeGroupsResponse> describeGroups(DescribeGroupsRequest request);

    CompletableFuture<DeleteGroupsResponse> deleteGroups(DeleteGroupsRequest request);

    CompletableFuture<OffsetDeleteResponse> offsetDelete(OffsetDeleteRequest request);

    // ---- idempotent and transactional producers ----

    CompletableFuture<InitProducerIdResponse> initProducerId(InitProducerIdRequest request);

    CompletableFuture<AddPartitionsToTxnResponse> addPartitionsToTxn(AddPartitionsToTxnRequest request);

    CompletableFuture<AddOffsetsToTxnResponse> addOffsetsToTxn(AddOffsetsToTxnRequest request);

    CompletableFuture<EndTxnResponse> endTxn(EndTxnRequest request);

    CompletableFuture<TxnOffsetCommitResponse> txnOffsetCommit(TxnOffsetCommitRequest request);

    // ---- transactions: administration ----

    CompletableFuture<WriteTxnMarkersResponse> writeTxnMarkers(WriteTxnMarkersRequest request);

    CompletableFuture<ListTransactionsResponse> listTransactions(ListTransactionsRequest request);

    CompletableFuture<DescribeTransactionsResponse> describeTransactions(DescribeTransactionsRequest request);

    CompletableFuture<DescribeProducersResponse> describeProducers(DescribeProducersRequest request);
}
