package io.weir.common.protocol;

import java.util.List;

public record ListTransactionsResponse(ApiError error, List<TransactionListing> transactions) {
    public ListTransactionsResponse {
        transactions = List.copyOf(transactions);
    }

    public record TransactionListing(String transactionalId, long producerId, String state) {}
}
