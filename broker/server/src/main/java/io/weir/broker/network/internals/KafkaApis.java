package io.weir.broker.network.internals;

import io.weir.common.errors.WeirException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.function.Supplier;
import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.AbstractRequest;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * Routes a decoded request to the translator of its API. Each translator turns the generated request data into
 * the broker's {@link BrokerApi} call and the answer back into generated response data; the future completes
 * with null when the request takes no answer (Produce with acks=0).
 *
 * <p>Thread-safe and stateless but for the translators' own state. Called on a connection's {@link SerialExecutor}
 * thread, never an event loop: a broker call may wait before returning its future (a produce for append-ring
 * space, a group call for an internal-topic append).
 */
final class KafkaApis {
    private final DataApis data;
    private final GroupApis groups;
    private final TxnApis txns;
    private final AdminApis admin;

    /**
     * @param fetchMaxBytes {@code fetch.max.bytes}: the most record bytes one Fetch answer carries
     * @param fetchSessions the listener's fetch sessions
     */
    KafkaApis(BrokerApi broker, Supplier<BrokerIdentity> identity, int fetchMaxBytes, FetchSessionCache fetchSessions) {
        this.data = new DataApis(broker, identity, fetchMaxBytes, fetchSessions);
        this.groups = new GroupApis(broker);
        this.txns = new TxnApis(broker);
        this.admin = new AdminApis(broker, identity);
    }

    CompletableFuture<ApiMessage> handle(RequestHeader header, AbstractRequest request) {
        short v = header.apiVersion();
        return switch (header.apiKey()) {
            case API_VERSIONS -> CompletableFuture.completedFuture(ApiVersionsTable.response());
            case METADATA -> widen(data.metadata(request, v));
            case PRODUCE -> widen(data.produce(request));
            case FETCH -> widen(data.fetch(request, header.clientId()));
            case LIST_OFFSETS -> widen(data.listOffsets(request, v));
            case FIND_COORDINATOR -> widen(data.findCoordinator(request, v));
            case INIT_PRODUCER_ID -> widen(txns.initProducerId(request, v));
            case JOIN_GROUP -> widen(groups.joinGroup(request, v, header.clientId()));
            case SYNC_GROUP -> widen(groups.syncGroup(request));
            case HEARTBEAT -> widen(groups.heartbeat(request));
            case LEAVE_GROUP -> widen(groups.leaveGroup(request, v));
            case OFFSET_COMMIT -> widen(groups.offsetCommit(request));
            case OFFSET_FETCH -> widen(groups.offsetFetch(request, v));
            case DESCRIBE_GROUPS -> widen(groups.describeGroups(request));
            case LIST_GROUPS -> widen(groups.listGroups(request));
            case DELETE_GROUPS -> widen(groups.deleteGroups(request));
            case OFFSET_DELETE -> widen(groups.offsetDelete(request));
            case ADD_PARTITIONS_TO_TXN -> widen(txns.addPartitionsToTxn(request, v));
            case ADD_OFFSETS_TO_TXN -> widen(txns.addOffsetsToTxn(request, v));
            case END_TXN -> widen(txns.endTxn(request, v));
            case TXN_OFFSET_COMMIT -> widen(txns.txnOffsetCommit(request, v));
            case WRITE_TXN_MARKERS -> widen(txns.writeTxnMarkers(request));
            case LIST_TRANSACTIONS -> widen(txns.listTransactions(request));
            case DESCRIBE_TRANSACTIONS -> widen(txns.describeTransactions(request));
            case DESCRIBE_PRODUCERS -> widen(txns.describeProducers(request));
            case CREATE_TOPICS -> widen(admin.createTopics(request));
            case DELETE_TOPICS -> widen(admin.deleteTopics(request));
            case CREATE_PARTITIONS -> widen(admin.createPartitions(request));
            case DELETE_RECORDS -> widen(admin.deleteRecords(request));
            case DESCRIBE_CONFIGS -> widen(admin.describeConfigs(request));
            case INCREMENTAL_ALTER_CONFIGS -> widen(admin.incrementalAlterConfigs(request));
            case DESCRIBE_CLUSTER -> widen(admin.describeCluster(request));
            default -> CompletableFuture.completedFuture(request.getErrorResponse(
                            0, Errors.UNSUPPORTED_VERSION.exception("Weir does not serve " + header.apiKey()))
                    .data());
        };
    }

    @SuppressWarnings("unchecked")
    private static CompletableFuture<ApiMessage> widen(CompletableFuture<? extends ApiMessage> future) {
        return (CompletableFuture<ApiMessage>) future;
    }

    /** The Kafka error code of a Weir error: Weir's codes are Kafka's. */
    static short code(ApiError error) {
        return error.error().code();
    }

    /** The message of a Weir error, for the answers that carry one; null on success. */
    static String message(ApiError error) {
        return error.isSuccess() ? null : error.message();
    }

    /** The Kafka exception for a failure of a broker call, so the request's own error answer carries its code. */
    static ApiException toKafkaException(Throwable error) {
        Throwable t = error;
        while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
            t = t.getCause();
        }
        if (t instanceof ApiException api) {
            return api;
        }
        if (t instanceof WeirException) {
            io.weir.common.protocol.Errors weir = io.weir.common.protocol.Errors.forException(t);
            return Errors.forCode(weir.code()).exception(t.getMessage());
        }
        return Errors.UNKNOWN_SERVER_ERROR.exception(String.valueOf(t));
    }
}
