package io.weir.broker.internals.txn;

import io.weir.broker.client.Admin;
import io.weir.broker.client.FindHangingTransactionsOptions;
import io.weir.broker.client.HangingTransaction;
import io.weir.broker.client.internals.Futures;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

/**
 * The broker's {@code weir.transaction.hanging.abort.ms}: finds hanging transactions exactly as an
 * administrator's {@link Admin#findHangingTransactions} does (over the broker's own request interface), with
 * {@code transaction.max.timeout.ms} as the bound and this setting as how long past it a transaction the
 * coordinator still lists may stay open, and aborts each with a marker as {@link Admin#abortTransaction} does.
 *
 * <p>Each run blocks its caller, the broker's maintenance thread, until the calls answer (at most the admin's
 * request timeout each). Not thread-safe; one thread runs it.
 */
public final class HangingTransactionAborter {
    private static final System.Logger LOG = System.getLogger(HangingTransactionAborter.class.getName());

    private final Admin admin;
    private final FindHangingTransactionsOptions options;
    private final long waitMs;

    /**
     * @param maxTimeoutMs the broker's transaction.max.timeout.ms
     * @param staleAfterMs weir.transaction.hanging.abort.ms, >= 0
     * @param waitMs       how long one call may take before the run gives up
     */
    public HangingTransactionAborter(Admin admin, long maxTimeoutMs, long staleAfterMs, long waitMs) {
        this.admin = admin;
        this.options = FindHangingTransactionsOptions.allPartitions().maxTransactionTimeoutMs(maxTimeoutMs).staleAfterMs(staleAfterMs);
        this.waitMs = waitMs;
    }

    /**
     * Finds and aborts hanging transactions; each abort is logged with the partition, producer and reason.
     *
     * @return the transactions aborted
     * @throws io.weir.broker.errors.WeirException if the search failed; aborts that fail are logged and the
     *         others still run
     */
    public List<HangingTransaction> run() {
        Collection<HangingTransaction> hanging = Futures.await(admin.findHangingTransactions(options), waitMs,
                "the search for hanging transactions");
        List<HangingTransaction> aborted = new ArrayList<>();
        for (HangingTransaction h : hanging) {
            try {
                Futures.await(admin.abortTransaction(h.abortSpec()), waitMs, "the abort of a hanging transaction");
                aborted.add(h);
                LOG.log(System.Logger.Level.WARNING, "Aborted the hanging transaction of producer " + h.producer().producerId()
                        + " epoch " + h.producer().producerEpoch() + " on " + h.topicPartition() + " (" + h.reason()
                        + h.transactionalId().map(id -> ", transactional id " + id).orElse("") + ", open since offset "
                        + h.producer().currentTransactionStartOffset().orElse(-1) + ")");
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.ERROR, "Could not abort the hanging transaction of producer "
                        + h.producer().producerId() + " on " + h.topicPartition(), e);
            }
        }
        return aborted;
    }
}
