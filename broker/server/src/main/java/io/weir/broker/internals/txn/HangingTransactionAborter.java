package io.weir.broker.internals.txn;

import io.weir.broker.AbortedTransaction;
import io.weir.common.TopicPartition;
import io.weir.common.errors.TimeoutException;
import io.weir.common.errors.WeirException;
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
import io.weir.transactions.coordinator.HangingTransactionRule;
import io.weir.transactions.coordinator.HangingTransactionRule.CoordinatorView;
import io.weir.transactions.coordinator.HangingTransactionRule.Reason;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The broker's {@code weir.transaction.hanging.abort.ms}: gathers what the partitions and the coordinator report
 * (DescribeProducers, ListTransactions, DescribeTransactions, over the broker's own request interface), lets
 * {@link HangingTransactionRule} decide which open transactions hang, and aborts each with a marker
 * (WriteTxnMarkers), as an administrator's {@code findHangingTransactions} and {@code abortTransaction} would.
 *
 * <p>Each run blocks its caller, the broker's maintenance thread, until the calls answer (at most
 * {@code waitMs} each). Not thread-safe; one thread runs it.
 */
public final class HangingTransactionAborter {
    private static final Logger LOG = LoggerFactory.getLogger(HangingTransactionAborter.class);

    private final BrokerApi broker;
    private final HangingTransactionRule rule;
    private final Time time;
    private final long waitMs;

    private record Candidate(TopicPartition partition, DescribeProducersResponse.ProducerState producer, long idleMs) {}

    /**
     * @param maxTimeoutMs the broker's transaction.max.timeout.ms
     * @param staleAfterMs weir.transaction.hanging.abort.ms, >= 0
     * @param waitMs       how long one call may take before the run gives up
     */
    public HangingTransactionAborter(BrokerApi broker, long maxTimeoutMs, long staleAfterMs, Time time, long waitMs) {
        this.broker = broker;
        this.rule = new HangingTransactionRule(maxTimeoutMs, staleAfterMs);
        this.time = time;
        this.waitMs = waitMs;
    }

    /**
     * Finds and aborts hanging transactions; each abort is logged with the partition, producer and reason.
     *
     * @return the transactions aborted
     * @throws WeirException if the search failed; aborts that fail are logged and the others still run
     */
    public List<AbortedTransaction> run() {
        List<Candidate> candidates = candidates(allPartitions());
        if (candidates.isEmpty()) {
            return List.of();
        }
        Map<Long, String> transactionalIds = transactionalIds(candidates);
        Map<String, CoordinatorView> views = coordinatorViews(transactionalIds.values());
        List<AbortedTransaction> aborted = new ArrayList<>();
        for (Candidate c : candidates) {
            long pid = c.producer().producerId();
            Optional<String> id = Optional.ofNullable(transactionalIds.get(pid));
            Optional<Reason> reason = rule.classify(c.partition(), pid, c.idleMs(), id.map(views::get));
            if (reason.isPresent()) {
                abort(c, id, reason.get()).ifPresent(aborted::add);
            }
        }
        return List.copyOf(aborted);
    }

    private Set<TopicPartition> allPartitions() {
        MetadataResponse metadata = await(broker.metadata(MetadataRequest.allTopics()), "metadata");
        Set<TopicPartition> out = new TreeSet<>();
        for (MetadataResponse.TopicMetadata t : metadata.topics().values()) {
            throwIfFailed(t.error());
            for (int p = 0; p < t.partitions(); p++) {
                out.add(new TopicPartition(t.topic(), p));
            }
        }
        return out;
    }

    private List<Candidate> candidates(Set<TopicPartition> partitions) {
        DescribeProducersResponse producers = await(
                broker.describeProducers(new DescribeProducersRequest(List.copyOf(partitions))), "describeProducers");
        long now = time.milliseconds();
        List<Candidate> out = new ArrayList<>();
        producers.partitions().forEach((tp, state) -> {
            throwIfFailed(state.error());
            for (DescribeProducersResponse.ProducerState p : state.producers()) {
                long idle = now - p.lastTimestamp();
                if (p.currentTxnStartOffset() >= 0 && rule.isCandidate(idle)) {
                    out.add(new Candidate(tp, p, idle));
                }
            }
        });
        return out;
    }

    /** The transactional id the coordinator maps each candidate's producer id to, where it maps one. */
    private Map<Long, String> transactionalIds(List<Candidate> candidates) {
        Set<Long> producerIds =
                candidates.stream().map(c -> c.producer().producerId()).collect(Collectors.toSet());
        var listing = await(
                broker.listTransactions(new ListTransactionsRequest(Set.of(), producerIds, -1)), "listTransactions");
        throwIfFailed(listing.error());
        Map<Long, String> out = new HashMap<>();
        listing.transactions().stream()
                .filter(l -> producerIds.contains(l.producerId()))
                .forEach(l -> out.put(l.producerId(), l.transactionalId()));
        return out;
    }

    private Map<String, CoordinatorView> coordinatorViews(java.util.Collection<String> transactionalIds) {
        if (transactionalIds.isEmpty()) {
            return Map.of();
        }
        DescribeTransactionsResponse described = await(
                broker.describeTransactions(
                        new DescribeTransactionsRequest(List.copyOf(new TreeSet<>(transactionalIds)))),
                "describeTransactions");
        Map<String, CoordinatorView> out = new HashMap<>();
        described.transactions().forEach((id, t) -> {
            if (t.error().isSuccess()) {
                out.put(id, new CoordinatorView(t.producerId(), t.partitions()));
            } else if (t.error().error() != Errors.TRANSACTIONAL_ID_NOT_FOUND) {
                throw t.error().exception();
            }
        });
        return out;
    }

    private Optional<AbortedTransaction> abort(Candidate c, Optional<String> transactionalId, Reason reason) {
        DescribeProducersResponse.ProducerState p = c.producer();
        var marker = new WriteTxnMarkersRequest.TxnMarker(
                p.producerId(),
                (short) p.producerEpoch(),
                false,
                Math.max(p.coordinatorEpoch(), 0),
                List.of(c.partition()));
        try {
            var response =
                    await(broker.writeTxnMarkers(new WriteTxnMarkersRequest(List.of(marker))), "writeTxnMarkers");
            ApiError error =
                    response.results().getOrDefault(p.producerId(), Map.of()).get(c.partition());
            if (error == null || !error.isSuccess()) {
                throw error == null ? new IllegalStateException("no answer for " + c.partition()) : error.exception();
            }
        } catch (RuntimeException e) {
            LOG.error(
                    "Could not abort the hanging transaction of producer " + p.producerId() + " on " + c.partition(),
                    e);
            return Optional.empty();
        }
        LOG.warn("Aborted the hanging transaction of producer " + p.producerId() + " epoch "
                + p.producerEpoch() + " on " + c.partition() + " (" + reason
                + transactionalId.map(id -> ", transactional id " + id).orElse("") + ", open since offset "
                + p.currentTxnStartOffset() + ")");
        return Optional.of(new AbortedTransaction(
                c.partition(),
                p.producerId(),
                (short) p.producerEpoch(),
                p.currentTxnStartOffset(),
                transactionalId,
                reason));
    }

    private static void throwIfFailed(ApiError error) {
        if (!error.isSuccess()) {
            throw error.exception();
        }
    }

    private <T> T await(CompletableFuture<T> call, String what) {
        try {
            return call.get(waitMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new TimeoutException(
                    "The search for hanging transactions timed out after " + waitMs + " ms in " + what);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new io.weir.common.errors.InterruptException("Interrupted in " + what, e);
        } catch (ExecutionException e) {
            throw e.getCause() instanceof RuntimeException r
                    ? r
                    : new WeirException("The search for hanging transactions failed in " + what, e.getCause());
        }
    }
}
