package io.weir.common.protocol;

/** Keeps a member alive in its generation; the answer tells it when a rebalance needs it to rejoin. */
public record HeartbeatRequest(String groupId, int generationId, String memberId, String groupInstanceId) {}
