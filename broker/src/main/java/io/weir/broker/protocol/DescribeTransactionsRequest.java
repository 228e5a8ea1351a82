package io.weir.broker.protocol;

import java.util.List;

public record DescribeTransactionsRequest(List<String> transactionalIds) {
    public DescribeTransactionsRequest {
        transactionalIds = List.copyOf(transactionalIds);
    }
}
