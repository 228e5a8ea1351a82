package io.weir.broker.protocol;

public record EndTxnResponse(ApiError error) {
}
