package io.weir.clients.consumer;

import java.time.Duration;
import java.util.Objects;

/**
 * How {@link Consumer#close(CloseOptions)} ends a member's life in its group, as Kafka 4.1's consumer
 * {@code CloseOptions} (KIP-1092): by default a dynamic member leaves and a static one ({@code group.instance.id})
 * stays, so that a restart keeps its partitions; {@link GroupMembershipOperation#LEAVE_GROUP} makes a static member
 * leave too (its partitions move at once, without waiting for its session to expire), and
 * {@link GroupMembershipOperation#REMAIN_IN_GROUP} keeps a dynamic member until its session expires. Immutable.
 */
public final class CloseOptions {
    /** What closing does to the member's place in its group. */
    public enum GroupMembershipOperation {
        LEAVE_GROUP,
        REMAIN_IN_GROUP,
        DEFAULT
    }

    /** Kafka's default close timeout. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

    private final GroupMembershipOperation operation;
    private final Duration timeout;

    private CloseOptions(GroupMembershipOperation operation, Duration timeout) {
        this.operation = Objects.requireNonNull(operation, "operation");
        this.timeout = Objects.requireNonNull(timeout, "timeout");
    }

    public static CloseOptions timeout(Duration timeout) {
        return new CloseOptions(GroupMembershipOperation.DEFAULT, timeout);
    }

    public static CloseOptions groupMembershipOperation(GroupMembershipOperation operation) {
        return new CloseOptions(operation, DEFAULT_TIMEOUT);
    }

    public CloseOptions withTimeout(Duration timeout) {
        return new CloseOptions(operation, timeout);
    }

    public CloseOptions withGroupMembershipOperation(GroupMembershipOperation operation) {
        return new CloseOptions(operation, timeout);
    }

    public GroupMembershipOperation operation() {
        return operation;
    }

    public Duration timeoutDuration() {
        return timeout;
    }
}
