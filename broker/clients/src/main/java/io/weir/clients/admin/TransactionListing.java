package io.weir.clients.admin;

import java.util.Objects;

/** One transactional id as {@link Admin#listTransactions} reports it. */
public record TransactionListing(String transactionalId, long producerId, TransactionState state) {
    public TransactionListing {
        Objects.requireNonNull(transactionalId, "transactionalId");
        Objects.requireNonNull(state, "state");
    }
}
