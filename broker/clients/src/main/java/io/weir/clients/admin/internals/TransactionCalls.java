package io.weir.clients.admin.internals;

import io.weir.clients.admin.AbortTransactionSpec;
import io.weir.clients.admin.FindHangingTransactionsOptions;
import io.weir.clients.admin.HangingTransaction;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.ListTransactionsOptions;
import io.weir.clients.admin.PartitionProducerState;
import io.weir.clients.admin.ProducerState;
import io.weir.clients.admin.TransactionDescription;
import io.weir.clients.admin.TransactionListing;
import io.weir.clients.admin.TransactionState;
import io.weir.common.TopicPartition;
import io.weir.common.errors.UnknownServerException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DescribeProducersRequest;
import io.weir.common.protocol.DescribeProducersResponse;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListTransactionsRequest;
import io.weir.common.protocol.MetadataRequest;
import io.weir.common.protocol.MetadataResponse;
import io.weir.common.protocol.WriteTxnMarkersRequest;
import io.weir.common.utils.Time;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.stream.Collectors;

/**
 * The transaction calls of {@link AdminClientImpl}: listing and describing transactional ids, describing a
 * partition's producers, aborting an open transaction with a marker, and finding hanging transactions.
 *
 * <p><b>Finding hanging transactions</b> is Kafka's {@code kafka-transactions.sh find-hanging}: describe the
 * producers of the partitions; every open transaction whose producer wrote nothing for longer than
 * {@code maxTransactionTimeoutMs} is a candidate (the coordinator aborts any transaction it knows before
 * then); list the coordinator's transactional ids for the candidates' producer ids and describe them. A
 * candidate is hanging when the coordinator knows no id for its producer, or its transaction does not hold
 * the partition, or (with {@code staleAfterMs}) it stayed open that long past the timeout anyway.
 *
 * <p>Stateless beyond its collaborators, so thread-safe; futures complete on the transport's threads.
 */
final class TransactionCalls {
    private final AdminClientImpl admin;
    private final BrokerApi broker;
    private final Time time;

    TransactionCalls(AdminClientImpl admin, BrokerApi broker, Time time) {
        this.admin = admin;
        this.broker = broker;
        this.time = time;
    }

    CompletableFuture<Collection<TransactionListing>> list(ListTransactionsOptions options) {
        Set<String> states =
                options.states().stream().map(TransactionState::toString).collect(Collectors.toSet());
        var request = new ListTransactionsRequest(states, options.producerIds(), options.durationMs());
        return AdminClientImpl.unwrapping(admin.withTimeout(broker.listTransactions(request), "listTransactions")
                .thenApply(r -> {
                    if (!r.error().isSuccess()) {
                        throw r.error().exception();
                    }
                    List<TransactionListing> out = new ArrayList<>();
                    r.transactions()
                            .forEach(t -> out.add(new TransactionListing(
                                    t.transactionalId(), t.producerId(), TransactionState.parse(t.state()))));
                    return List.copyOf(out);
                }));
    }

    KeyedResult<String, TransactionDescription> describe(Collection<String> transactionalIds) {
        Set<String> ids = new LinkedHashSet<>(transactionalIds);
        var response = admin.withTimeout(
                broker.describeTransactions(new DescribeTransactionsRequest(List.copyOf(ids))), "describeTransactions");
        Map<String, CompletableFuture<TransactionDescription>> values = new LinkedHashMap<>();
        for (String id : ids) {
            values.put(id, response.thenApply(r -> described(id, r)));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    private static TransactionDescription described(String id, DescribeTransactionsResponse r) {
        DescribeTransactionsResponse.DescribedTransaction t = r.transactions().get(id);
        if (t == null) {
            throw new UnknownServerException("The broker's describeTransactions answer left out '" + id + "'");
        }
        if (!t.error().isSuccess()) {
            throw t.error().exception();
        }
        return new TransactionDescription(
                0,
                TransactionState.parse(t.state()),
                t.producerId(),
                t.producerEpoch(),
                t.transactionTimeoutMs(),
                t.transactionStartTimeMs() < 0 ? OptionalLong.empty() : OptionalLong.of(t.transactionStartTimeMs()),
                t.partitions());
    }

    KeyedResult<TopicPartition, PartitionProducerState> describeProducers(Collection<TopicPartition> partitions) {
        Set<TopicPartition> wanted = new LinkedHashSet<>(partitions);
        var response = admin.withTimeout(
                broker.describeProducers(new DescribeProducersRequest(List.copyOf(wanted))), "describeProducers");
        Map<TopicPartition, CompletableFuture<PartitionProducerState>> values = new LinkedHashMap<>();
        for (TopicPartition tp : wanted) {
            values.put(tp, response.thenApply(r -> producersOf(tp, r)));
        }
        return new KeyedResult<>(AdminClientImpl.unwrapping(values));
    }

    private static PartitionProducerState producersOf(TopicPartition tp, DescribeProducersResponse r) {
        DescribeProducersResponse.PartitionProducers p = r.partitions().get(tp);
        if (p == null) {
            throw new UnknownServerException("The broker's describeProducers answer left out " + tp);
        }
        if (!p.error().isSuccess()) {
            throw p.error().exception();
        }
        List<ProducerState> out = new ArrayList<>();
        for (DescribeProducersResponse.ProducerState s : p.producers()) {
            out.add(new ProducerState(
                    s.producerId(),
                    s.producerEpoch(),
                    s.lastSequence(),
                    s.lastTimestamp(),
                    s.coordinatorEpoch() < 0 ? OptionalInt.empty() : OptionalInt.of(s.coordinatorEpoch()),
                    s.currentTxnStartOffset() < 0 ? OptionalLong.empty() : OptionalLong.of(s.currentTxnStartOffset())));
        }
        return new PartitionProducerState(out);
    }

    CompletableFuture<Void> abort(AbortTransactionSpec spec) {
        var marker = new WriteTxnMarkersRequest.TxnMarker(
                spec.producerId(),
                spec.producerEpoch(),
                false,
                spec.coordinatorEpoch(),
                List.of(spec.topicPartition()));
        return AdminClientImpl.unwrapping(admin.withTimeout(
                        broker.writeTxnMarkers(new WriteTxnMarkersRequest(List.of(marker))), "abortTransaction")
                .thenApply(r -> {
                    ApiError error = r.results()
                            .getOrDefault(spec.producerId(), Map.of())
                            .get(spec.topicPartition());
                    if (error == null) {
                        throw new UnknownServerException("The broker's writeTxnMarkers answer left out producer "
                                + spec.producerId() + " on " + spec.topicPartition());
                    }
                    if (!error.isSuccess()) {
                        throw error.exception();
                    }
                    return null;
                }));
    }

    // ---- find-hanging -------------------------------------------------------------------------------------

    private record Candidate(TopicPartition partition, ProducerState producer, long idleMs) {}

    CompletableFuture<Collection<HangingTransaction>> findHanging(FindHangingTransactionsOptions options) {
        return AdminClientImpl.unwrapping(partitionsToSearch(options)
                .thenCompose(partitions -> describeProducers(partitions).all())
                .thenCompose(producers -> {
                    List<Candidate> candidates = candidates(producers, options.maxTransactionTimeoutMs());
                    if (candidates.isEmpty()) {
                        return CompletableFuture.completedFuture(List.<HangingTransaction>of());
                    }
                    Set<Long> producerIds = candidates.stream()
                            .map(c -> c.producer().producerId())
                            .collect(Collectors.toSet());
                    return list(ListTransactionsOptions.all().filterProducerIds(producerIds))
                            .thenCompose(listings -> describeOwners(listings, producerIds))
                            .thenApply(owners -> hanging(candidates, owners, options));
                }));
    }

    private CompletableFuture<Collection<TopicPartition>> partitionsToSearch(FindHangingTransactionsOptions options) {
        if (options.partitions() != null) {
            return CompletableFuture.completedFuture(options.partitions());
        }
        MetadataRequest request = options.topics() == null
                ? MetadataRequest.allTopics()
                : new MetadataRequest(List.copyOf(options.topics()), false);
        return admin.withTimeout(broker.metadata(request), "findHangingTransactions")
                .thenApply(r -> {
                    Set<TopicPartition> out = new TreeSet<>();
                    for (MetadataResponse.TopicMetadata t : r.topics().values()) {
                        if (!t.error().isSuccess()) {
                            throw t.error().exception();
                        }
                        for (int p = 0; p < t.partitions(); p++) {
                            out.add(new TopicPartition(t.topic(), p));
                        }
                    }
                    return out;
                });
    }

    private List<Candidate> candidates(
            Map<TopicPartition, PartitionProducerState> producers, long maxTransactionTimeoutMs) {
        long now = time.milliseconds();
        List<Candidate> out = new ArrayList<>();
        producers.forEach((tp, state) -> {
            for (ProducerState p : state.activeProducers()) {
                long idle = now - p.lastTimestamp();
                if (p.currentTransactionStartOffset().isPresent() && idle > maxTransactionTimeoutMs) {
                    out.add(new Candidate(tp, p, idle));
                }
            }
        });
        return out;
    }

    /** Per candidate producer id, the coordinator's transactional id and its description (if it has one). */
    private CompletableFuture<Map<Long, Owner>> describeOwners(
            Collection<TransactionListing> listings, Set<Long> producerIds) {
        Map<Long, String> idOf = new HashMap<>();
        listings.stream()
                .filter(l -> producerIds.contains(l.producerId()))
                .forEach(l -> idOf.put(l.producerId(), l.transactionalId()));
        if (idOf.isEmpty()) {
            return CompletableFuture.completedFuture(Map.of());
        }
        var response = admin.withTimeout(
                broker.describeTransactions(new DescribeTransactionsRequest(List.copyOf(idOf.values()))),
                "findHangingTransactions");
        return response.thenApply(r -> {
            Map<Long, Owner> out = new HashMap<>();
            idOf.forEach((pid, id) -> {
                DescribeTransactionsResponse.DescribedTransaction t =
                        r.transactions().get(id);
                boolean known = t != null && t.error().isSuccess();
                if (t != null && !known && t.error().error() != Errors.TRANSACTIONAL_ID_NOT_FOUND) {
                    throw t.error().exception();
                }
                out.put(pid, new Owner(id, known ? Optional.of(described(id, r)) : Optional.empty()));
            });
            return out;
        });
    }

    private record Owner(String transactionalId, Optional<TransactionDescription> description) {}

    private static List<HangingTransaction> hanging(
            List<Candidate> candidates, Map<Long, Owner> owners, FindHangingTransactionsOptions options) {
        List<HangingTransaction> out = new ArrayList<>();
        for (Candidate c : candidates) {
            long pid = c.producer().producerId();
            Owner owner = owners.get(pid);
            Optional<String> id = owner == null ? Optional.empty() : Optional.of(owner.transactionalId());
            HangingTransaction.Reason reason = null;
            if (owner == null || owner.description().isEmpty()) {
                reason = HangingTransaction.Reason.PRODUCER_UNKNOWN_TO_COORDINATOR;
            } else {
                TransactionDescription d = owner.description().get();
                if (d.producerId() != pid || !d.topicPartitions().contains(c.partition())) {
                    reason = HangingTransaction.Reason.PARTITION_NOT_IN_TRANSACTION;
                } else if (options.staleAfterMs() >= 0
                        && c.idleMs() > options.maxTransactionTimeoutMs() + options.staleAfterMs()) {
                    reason = HangingTransaction.Reason.STALE;
                }
            }
            if (reason != null) {
                out.add(new HangingTransaction(c.partition(), c.producer(), id, reason));
            }
        }
        return List.copyOf(out);
    }
}
