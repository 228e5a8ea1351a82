package io.weir.broker.protocol;

public record AddOffsetsToTxnResponse(ApiError error) {
}
