package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.Map;
import java.util.Set;

/** Per transactional id of the request, its coordinator state or the error ({@code TRANSACTIONAL_ID_NOT_FOUND}). */
public record DescribeTransactionsResponse(Map<String, DescribedTransaction> transactions) {
    public DescribeTransactionsResponse {
        transactions = Map.copyOf(transactions);
    }

    /** @param transactionStartTimeMs when the open transaction began; -1 when none is open */
    public record DescribedTransaction(
            ApiError error,
            String state,
            int transactionTimeoutMs,
            long transactionStartTimeMs,
            long producerId,
            short producerEpoch,
            Set<TopicPartition> partitions) {
        public DescribedTransaction {
            partitions = Set.copyOf(partitions);
        }
    }
}
