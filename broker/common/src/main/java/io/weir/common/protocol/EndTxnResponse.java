package io.weir.common.protocol;

public record EndTxnResponse(ApiError error) {}
