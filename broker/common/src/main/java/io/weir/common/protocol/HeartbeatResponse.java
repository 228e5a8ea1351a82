package io.weir.common.protocol;

/** NONE, or REBALANCE_IN_PROGRESS (rejoin), ILLEGAL_GENERATION / UNKNOWN_MEMBER_ID (rejoin from scratch), FENCED_INSTANCE_ID. */
public record HeartbeatResponse(ApiError error) {}
