package io.weir.common.protocol;

public record AddOffsetsToTxnResponse(ApiError error) {}
