package io.weir.clients.admin;

import java.util.Collection;
import java.util.Set;

/**
 * Filters for {@link Admin#listTransactions(ListTransactionsOptions)}, as a small immutable value: each
 * {@code filter...} returns a copy with that filter set. An empty filter matches everything.
 *
 * <pre>{@code
 * admin.listTransactions(ListTransactionsOptions.all().filterStates(Set.of(TransactionState.ONGOING)).filterOnDuration(60_000));
 * }</pre>
 */
public final class ListTransactionsOptions {
    private static final ListTransactionsOptions ALL = new ListTransactionsOptions(Set.of(), Set.of(), -1L);

    private final Set<TransactionState> states;
    private final Set<Long> producerIds;
    private final long durationMs;

    private ListTransactionsOptions(Set<TransactionState> states, Set<Long> producerIds, long durationMs) {
        this.states = states;
        this.producerIds = producerIds;
        this.durationMs = durationMs;
    }

    /** No filter: every transactional id the coordinator knows. */
    public static ListTransactionsOptions all() {
        return ALL;
    }

    /**
     * @throws IllegalArgumentException if {@code states} is null, holds null or {@link TransactionState#UNKNOWN}
     */
    public ListTransactionsOptions filterStates(Collection<TransactionState> states) {
        if (states == null || states.stream().anyMatch(s -> s == null || s == TransactionState.UNKNOWN)) {
            throw new IllegalArgumentException("filterStates needs known states, got " + states);
        }
        return new ListTransactionsOptions(Set.copyOf(states), producerIds, durationMs);
    }

    /** @throws IllegalArgumentException if {@code producerIds} is null or holds null */
    public ListTransactionsOptions filterProducerIds(Collection<Long> producerIds) {
        if (producerIds == null || producerIds.stream().anyMatch(java.util.Objects::isNull)) {
            throw new IllegalArgumentException("filterProducerIds needs producer ids, got " + producerIds);
        }
        return new ListTransactionsOptions(states, Set.copyOf(producerIds), durationMs);
    }

    /**
     * Only transactions open for at least {@code durationMs}.
     *
     * @throws IllegalArgumentException if {@code durationMs} is negative
     */
    public ListTransactionsOptions filterOnDuration(long durationMs) {
        if (durationMs < 0) {
            throw new IllegalArgumentException("filterOnDuration needs a duration >= 0 ms, got " + durationMs);
        }
        return new ListTransactionsOptions(states, producerIds, durationMs);
    }

    public Set<TransactionState> states() {
        return states;
    }

    public Set<Long> producerIds() {
        return producerIds;
    }

    /** The duration filter in ms, -1 when none is set. */
    public long durationMs() {
        return durationMs;
    }
}
