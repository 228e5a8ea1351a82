package io.weir.broker.internals.group;

import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.SyncGroupResponse;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;

/**
 * One member of a group as the coordinator sees it: identity, timeouts, the strategies it supports with its
 * subscription bytes for each, the assignment it was given, and the join or sync answer it is waiting for.
 *
 * <p>Guarded by the lock of its {@link Group}.
 */
final class MemberMetadata {
    static final byte[] EMPTY = new byte[0];

    final String memberId;
    final String groupInstanceId;
    final String clientId;
    int sessionTimeoutMs;
    int rebalanceTimeoutMs;
    List<JoinGroupRequest.Protocol> protocols;
    byte[] assignment = EMPTY;
    Consumer<JoinGroupResponse> awaitingJoin;
    Consumer<SyncGroupResponse> awaitingSync;
    long heartbeatDeadlineMs;

    MemberMetadata(
            String memberId,
            String groupInstanceId,
            String clientId,
            int sessionTimeoutMs,
            int rebalanceTimeoutMs,
            List<JoinGroupRequest.Protocol> protocols) {
        this.memberId = memberId;
        this.groupInstanceId = groupInstanceId;
        this.clientId = clientId;
        this.sessionTimeoutMs = sessionTimeoutMs;
        this.rebalanceTimeoutMs = rebalanceTimeoutMs;
        this.protocols = List.copyOf(protocols);
    }

    boolean isStatic() {
        return groupInstanceId != null;
    }

    boolean isAwaitingJoin() {
        return awaitingJoin != null;
    }

    boolean isAwaitingSync() {
        return awaitingSync != null;
    }

    /** The member's subscription bytes for {@code protocol}. */
    byte[] metadata(String protocol) {
        for (JoinGroupRequest.Protocol p : protocols) {
            if (p.name().equals(protocol)) {
                return p.metadata();
            }
        }
        throw new IllegalStateException("Member " + memberId + " does not support protocol " + protocol);
    }

    boolean supports(String protocol) {
        return protocols.stream().anyMatch(p -> p.name().equals(protocol));
    }

    /** Same strategies in the same order with the same subscription bytes: a rejoin that changes nothing. */
    boolean matches(List<JoinGroupRequest.Protocol> other) {
        if (other.size() != protocols.size()) {
            return false;
        }
        for (int i = 0; i < other.size(); i++) {
            JoinGroupRequest.Protocol a = protocols.get(i);
            JoinGroupRequest.Protocol b = other.get(i);
            if (!a.name().equals(b.name()) || !Arrays.equals(a.metadata(), b.metadata())) {
                return false;
            }
        }
        return true;
    }

    /**
     * Whether the member is still alive at {@code nowMs}. A member waiting for its join answer is kept alive
     * (the join phase has its own deadline); otherwise its last heartbeat must be within the session timeout.
     */
    boolean isAlive(long nowMs) {
        return isAwaitingJoin() || nowMs < heartbeatDeadlineMs;
    }

    @Override
    public String toString() {
        return "Member(" + memberId + (groupInstanceId == null ? "" : ", instance " + groupInstanceId) + ")";
    }
}
