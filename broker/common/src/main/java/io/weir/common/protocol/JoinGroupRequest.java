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
 * @param requireKnownMemberId whether a new dynamic member must first learn its id (Kafka's JoinGroup v4+, KIP-394):
 *                        its first join is answered MEMBER_ID_REQUIRED with the id, and it joins again with it
 */
public record JoinGroupRequest(
        String groupId,
        int sessionTimeoutMs,
        int rebalanceTimeoutMs,
        String memberId,
        String groupInstanceId,
        String clientId,
        String protocolType,
        List<Protocol> protocols,
        boolean requireKnownMemberId) {

    public JoinGroupRequest {
        protocols = List.copyOf(protocols);
    }

    /** A join whose new member gets its id at once (Weir's in-process clients; Kafka's JoinGroup v0-3). */
    public JoinGroupRequest(
            String groupId,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            String memberId,
            String groupInstanceId,
            String clientId,
            String protocolType,
            List<Protocol> protocols) {
        this(
                groupId,
                sessionTimeoutMs,
                rebalanceTimeoutMs,
                memberId,
                groupInstanceId,
                clientId,
                protocolType,
                protocols,
                false);
    }

    public record Protocol(String name, byte[] metadata) {}
}
