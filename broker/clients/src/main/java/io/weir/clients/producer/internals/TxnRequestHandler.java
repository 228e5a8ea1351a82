package io.weir.clients.producer.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.internals.Futures;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.InvalidTxnTimeoutException;
import io.weir.common.errors.RetriableException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddOffsetsToTxnResponse;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnResponse;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.EndTxnResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * One coordinator request of an idempotent or transactional producer and what its answer means, as Kafka's
 * {@code TxnRequestHandler}s: each subclass builds its request from the {@link TransactionManager}'s current
 * producer id and epoch and maps every error code to one outcome — done, retry after {@code retry.backoff.ms},
 * an abortable error (the transaction can only be aborted; some also require an epoch bump on abort) or a
 * fatal one (the producer must be closed).
 *
 * <p>The sender thread sends a handler and runs {@link #complete} with the answer; at most one is in flight.
 * {@code result} is the user call waiting on it, null for the idempotent producer's own InitProducerId.
 */
abstract class TxnRequestHandler<R> {
    final TransactionManager manager;
    final TransactionalRequestResult result;

    TxnRequestHandler(TransactionManager manager, TransactionalRequestResult result) {
        this.manager = manager;
        this.result = result;
    }

    abstract CompletableFuture<R> send(BrokerApi broker);

    /** Handles a delivered answer; the manager has already cleared the in-flight slot. */
    abstract void handle(R response, long nowNanos);

    /** Whether it must wait until no batch is buffered or in flight: the end of a transaction and the re-init after one. */
    boolean needsQuiescence() {
        return false;
    }

    /** Whether it is still worth sending after the transaction became abortable or started aborting. */
    boolean survivesAbort() {
        return false;
    }

    String name() {
        return getClass().getSimpleName();
    }

    /** Sender thread: the answer or the transport's failure. */
    final void complete(R response, Throwable failure, long nowNanos) {
        manager.requestDone(this);
        if (manager.isFatal()) {
            fail(manager.fatalException());
            return;
        }
        if (failure == null) {
            handle(response, nowNanos);
            return;
        }
        WeirException error = Futures.asWeir(failure, name());
        if (error instanceof RetriableException) {
            manager.retry(this, nowNanos);
        } else {
            fatal(error);
        }
    }

    final void fail(RuntimeException e) {
        if (result != null) {
            result.fail(e);
        }
    }

    final void fatal(RuntimeException e) {
        manager.fatalError(e);
        fail(manager.fatalException());
    }

    /** The coordinator's answer to a stale epoch after it aborted a timed-out transaction (Kafka's KIP-588). */
    final void abortableWithBump(ApiError error, String operation) {
        manager.abortableError(error.exception(), AbortRecovery.forStaleEpoch(error.error()));
        fail(manager.abortableException(operation));
    }

    static boolean isRetriable(Errors error) {
        return error == Errors.CONCURRENT_TRANSACTIONS
                || error == Errors.COORDINATOR_LOAD_IN_PROGRESS
                || error == Errors.COORDINATOR_NOT_AVAILABLE
                || error.exception("") instanceof RetriableException;
    }

    static boolean isStaleEpoch(Errors error) {
        return error == Errors.INVALID_PRODUCER_EPOCH || error == Errors.INVALID_PRODUCER_ID_MAPPING;
    }

    /** The first error among per-partition results, or {@link ApiError#NONE}. */
    static ApiError firstError(Collection<ApiError> errors) {
        for (ApiError e : errors) {
            if (!e.isSuccess()) {
                return e;
            }
        }
        return ApiError.NONE;
    }

    // ---- InitProducerId --------------------------------------------------------------------------------

    /** A producer id for a new producer, or the epoch bump of a running one (current id and epoch passed along). */
    static final class InitProducerId extends TxnRequestHandler<InitProducerIdResponse> {
        private final ProducerIdAndEpoch current;

        InitProducerId(TransactionManager manager, ProducerIdAndEpoch current, TransactionalRequestResult result) {
            super(manager, result);
            this.current = current;
        }

        @Override
        CompletableFuture<InitProducerIdResponse> send(BrokerApi broker) {
            return broker.initProducerId(new InitProducerIdRequest(
                    manager.transactionalId(), manager.transactionTimeoutMs(), current.producerId(), current.epoch()));
        }

        @Override
        boolean needsQuiescence() {
            return current.isValid(); // a bump must not overtake the batches of the epoch it ends
        }

        @Override
        boolean survivesAbort() {
            return true;
        }

        @Override
        void handle(InitProducerIdResponse response, long nowNanos) {
            Errors error = response.error().error();
            if (error == Errors.NONE) {
                manager.onProducerIdInitialized(
                        new ProducerIdAndEpoch(response.producerId(), response.producerEpoch()), result);
            } else if (isRetriable(error)) {
                manager.retry(this, nowNanos, error);
            } else if (error == Errors.PRODUCER_FENCED || error == Errors.INVALID_PRODUCER_EPOCH) {
                fatal(manager.fenced(response.error()));
            } else if (error == Errors.INVALID_TRANSACTION_TIMEOUT) {
                fatal(new InvalidTxnTimeoutException("The transaction coordinator refused transaction.timeout.ms="
                        + manager.transactionTimeoutMs() + ": "
                        + response.error().message() + ". Lower transaction.timeout.ms "
                        + "to at most the broker's transaction.max.timeout.ms and create a new producer"));
            } else {
                fatal(response.error().exception());
            }
        }
    }

    // ---- AddPartitionsToTxn ----------------------------------------------------------------------------

    /** The partitions sent to for the first time in this transaction, batched into one request. */
    static final class AddPartitions extends TxnRequestHandler<AddPartitionsToTxnResponse> {
        final Set<TopicPartition> partitions;

        AddPartitions(TransactionManager manager, Set<TopicPartition> partitions) {
            super(manager, null);
            this.partitions = Set.copyOf(partitions);
        }

        @Override
        CompletableFuture<AddPartitionsToTxnResponse> send(BrokerApi broker) {
            ProducerIdAndEpoch id = manager.producerIdAndEpoch();
            return broker.addPartitionsToTxn(
                    new AddPartitionsToTxnRequest(manager.transactionalId(), id.producerId(), id.epoch(), partitions));
        }

        @Override
        void handle(AddPartitionsToTxnResponse response, long nowNanos) {
            ApiError error = firstError(response.results().values());
            if (error.isSuccess() && !response.results().keySet().containsAll(partitions)) {
                error = new ApiError(
                        Errors.UNKNOWN_SERVER_ERROR,
                        "AddPartitionsToTxn answered " + response.results().keySet() + " for " + partitions);
            }
            if (error.isSuccess()) {
                manager.onPartitionsAdded(partitions);
            } else if (isRetriable(error.error())) {
                manager.retry(this, nowNanos, error.error());
            } else if (error.error() == Errors.PRODUCER_FENCED) {
                fatal(manager.fenced(error));
            } else if (isStaleEpoch(error.error())) {
                manager.onPartitionsRefused(partitions);
                abortableWithBump(error, "send");
            } else if (error.error() == Errors.INVALID_TXN_STATE) {
                fatal(error.exception());
            } else {
                manager.onPartitionsRefused(partitions);
                manager.abortableError(error.exception(), AbortRecovery.NONE);
            }
        }
    }

    // ---- sendOffsetsToTransaction: AddOffsetsToTxn then TxnOffsetCommit --------------------------------

    /** Adds the group's offsets partition to the transaction; on success the offset commit itself follows. */
    static final class AddOffsets extends TxnRequestHandler<AddOffsetsToTxnResponse> {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;

        AddOffsets(
                TransactionManager manager,
                Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group,
                TransactionalRequestResult result) {
            super(manager, result);
            this.offsets = Map.copyOf(offsets);
            this.group = group;
        }

        @Override
        CompletableFuture<AddOffsetsToTxnResponse> send(BrokerApi broker) {
            ProducerIdAndEpoch id = manager.producerIdAndEpoch();
            return broker.addOffsetsToTxn(new AddOffsetsToTxnRequest(
                    manager.transactionalId(), id.producerId(), id.epoch(), group.groupId()));
        }

        @Override
        void handle(AddOffsetsToTxnResponse response, long nowNanos) {
            ApiError error = response.error();
            if (error.isSuccess()) {
                manager.onOffsetsPartitionAdded();
                manager.enqueueFirst(new TxnOffsetCommit(manager, offsets, group, result));
            } else if (isRetriable(error.error())) {
                manager.retry(this, nowNanos, error.error());
            } else if (error.error() == Errors.PRODUCER_FENCED) {
                fatal(manager.fenced(error));
            } else if (isStaleEpoch(error.error())) {
                abortableWithBump(error, "sendOffsetsToTransaction()");
            } else {
                manager.abortableError(error.exception(), AbortRecovery.NONE);
                fail(error.exception());
            }
        }
    }

    /** The group's offsets, written as part of the transaction; refused for a member of an old generation. */
    static final class TxnOffsetCommit extends TxnRequestHandler<TxnOffsetCommitResponse> {
        private final Map<TopicPartition, OffsetAndMetadata> offsets;
        private final ConsumerGroupMetadata group;

        TxnOffsetCommit(
                TransactionManager manager,
                Map<TopicPartition, OffsetAndMetadata> offsets,
                ConsumerGroupMetadata group,
                TransactionalRequestResult result) {
            super(manager, result);
            this.offsets = offsets;
            this.group = group;
        }

        @Override
        CompletableFuture<TxnOffsetCommitResponse> send(BrokerApi broker) {
            ProducerIdAndEpoch id = manager.producerIdAndEpoch();
            Map<TopicPartition, OffsetCommitRequest.CommittedOffset> committed = new LinkedHashMap<>();
            offsets.forEach((tp, om) -> committed.put(
                    tp,
                    new OffsetCommitRequest.CommittedOffset(
                            om.offset(), om.leaderEpoch().orElse(-1), om.metadata(), -1L)));
            return broker.txnOffsetCommit(new TxnOffsetCommitRequest(
                    manager.transactionalId(),
                    group.groupId(),
                    id.producerId(),
                    id.epoch(),
                    group.generationId(),
                    group.memberId(),
                    group.groupInstanceId().orElse(null),
                    committed));
        }

        @Override
        void handle(TxnOffsetCommitResponse response, long nowNanos) {
            ApiError error = firstError(response.results().values());
            if (error.isSuccess()) {
                result.done();
            } else if (isRetriable(error.error())) {
                manager.retry(this, nowNanos, error.error());
            } else if (error.error() == Errors.PRODUCER_FENCED) {
                fatal(manager.fenced(error));
            } else if (isStaleEpoch(error.error())) {
                abortableWithBump(error, "sendOffsetsToTransaction()");
            } else if (error.error() == Errors.ILLEGAL_GENERATION
                    || error.error() == Errors.UNKNOWN_MEMBER_ID
                    || error.error() == Errors.FENCED_INSTANCE_ID) {
                CommitFailedException e =
                        new CommitFailedException("Offsets of group " + group.groupId() + " were refused "
                                + "for the transaction (generation " + group.generationId() + ", member '"
                                + group.memberId() + "'): "
                                + error.message()
                                + ". The group has rebalanced; abort the transaction and poll the consumer to rejoin");
                manager.abortableError(e, AbortRecovery.NONE);
                fail(e);
            } else {
                manager.abortableError(error.exception(), AbortRecovery.NONE);
                fail(error.exception());
            }
        }
    }

    // ---- EndTxn ----------------------------------------------------------------------------------------

    /** Commits or aborts; sent only once every batch of the transaction has completed. */
    static final class EndTxn extends TxnRequestHandler<EndTxnResponse> {
        final TxnOutcome outcome;

        EndTxn(TransactionManager manager, TxnOutcome outcome, TransactionalRequestResult result) {
            super(manager, result);
            this.outcome = outcome;
        }

        @Override
        CompletableFuture<EndTxnResponse> send(BrokerApi broker) {
            ProducerIdAndEpoch id = manager.producerIdAndEpoch();
            return broker.endTxn(new EndTxnRequest(
                    manager.transactionalId(), id.producerId(), id.epoch(), outcome == TxnOutcome.COMMIT));
        }

        @Override
        boolean needsQuiescence() {
            return true;
        }

        @Override
        boolean survivesAbort() {
            return outcome == TxnOutcome.ABORT;
        }

        @Override
        void handle(EndTxnResponse response, long nowNanos) {
            ApiError error = response.error();
            if (error.isSuccess()) {
                manager.onTransactionEnded(outcome, result);
            } else if (isRetriable(error.error())) {
                manager.retry(this, nowNanos, error.error());
            } else if (error.error() == Errors.PRODUCER_FENCED) {
                fatal(manager.fenced(error));
            } else if (isStaleEpoch(error.error())) {
                if (outcome == TxnOutcome.COMMIT) {
                    abortableWithBump(error, "commitTransaction()");
                } else {
                    // The coordinator already aborted it (a timeout) and moved the epoch on: re-initialise to catch up.
                    manager.onAbortFoundEpochStale(error.error(), result);
                }
            } else {
                fatal(error.exception());
            }
        }
    }
}
