package io.weir.common.protocol;

import java.util.List;

public record DescribeTransactionsRequest(List<String> transactionalIds) {
    public DescribeTransactionsRequest {
        transactionalIds = List.copyOf(transactionalIds);
    }
}
