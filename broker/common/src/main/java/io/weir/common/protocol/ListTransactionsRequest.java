package io.weir.common.protocol;

import java.util.Set;

/**
 * Lists the transactional ids the coordinator knows. Empty filters match everything.
 *
 * @param stateFilters      coordinator state names, as Kafka spells them ({@code Ongoing}, {@code PrepareCommit}, ...)
 * @param durationFilterMs  only transactions open at least this long; -1 for any
 */
public record ListTransactionsRequest(Set<String> stateFilters, Set<Long> producerIdFilters, long durationFilterMs) {
    public ListTransactionsRequest {
        stateFilters = Set.copyOf(stateFilters);
        producerIdFilters = Set.copyOf(producerIdFilters);
    }
}
