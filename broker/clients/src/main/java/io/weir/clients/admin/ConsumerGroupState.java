package io.weir.clients.admin;

/**
 * The state of a consumer group as {@link Admin#listConsumerGroups} and {@link Admin#describeConsumerGroups}
 * report it, with Kafka's display names. {@link #UNKNOWN} stands for a name this client does not know, so a
 * newer broker's state never fails a describe.
 */
public enum ConsumerGroupState {
    UNKNOWN("Unknown"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead"),
    EMPTY("Empty");

    private final String displayName;

    ConsumerGroupState(String displayName) {
        this.displayName = displayName;
    }

    /** The state for a broker's display name ({@code "Stable"}, ...), case-insensitively; {@link #UNKNOWN} for any other. */
    public static ConsumerGroupState parse(String name) {
        for (ConsumerGroupState state : values()) {
            if (state.displayName.equalsIgnoreCase(name)) {
                return state;
            }
        }
        return UNKNOWN;
    }

    /** Kafka's name of the state, as {@code kafka-consumer-groups --describe --state} prints it. */
    @Override
    public String toString() {
        return displayName;
    }
}
