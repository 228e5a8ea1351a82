package io.weir.common.protocol;

import java.util.List;

/**
 * Asks to join a group, or to rejoin it for a new generation. The broker answers when the join phase of the
 * rebalance ends: every known member has rejoined, or the longest rebalance timeout ran out. An empty
 * {@code memberId} asks the broker to assign one.
 *
 * @param groupInstanceId {@code group.instance.id} for a static member, or null
 * @param protocols       the assignment strategies the member supports, preferred first, each with the
 *                        member's subscription bytes for that strategy
 */
public record JoinGroupRequest(
        String groupId,
        int sessionTimeoutMs,
        int rebalanceTimeoutMs,
        String memberId,
        String groupInstanceId,
        String clientId,
        String protocolType,
        List<Protocol> protocols) {

    public JoinGroupRequest {
        protocols = List.copyOf(protocols);
    }

    public record Protocol(String name, byte[] metadata) {}
}
