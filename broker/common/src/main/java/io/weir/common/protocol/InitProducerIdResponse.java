package io.weir.common.protocol;

/** The producer id and epoch to stamp on every batch, or the error; id -1 and epoch -1 on error. */
public record InitProducerIdResponse(ApiError error, long producerId, short producerEpoch) {}
