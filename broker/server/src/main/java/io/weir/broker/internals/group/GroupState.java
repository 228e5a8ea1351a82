package io.weir.broker.internals.group;

import java.util.EnumSet;
import java.util.Set;

/**
 * The classic group protocol's states, with Kafka's names and transition table.
 *
 * <pre>
 *   Empty ──join──▶ PreparingRebalance ──all rejoined / timeout──▶ CompletingRebalance ──leader's sync──▶ Stable
 *     ▲                 │  ▲                                            │                                 │
 *     └─no members left─┘  └──────────── join, leave, failure ──────────┴─────────────────────────────────┘
 *   any ──delete / unload──▶ Dead
 * </pre>
 */
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead");

    private final String displayName;
    private Set<GroupState> validPrevious;

    static {
        EMPTY.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        PREPARING_REBALANCE.validPrevious = EnumSet.of(EMPTY, STABLE, COMPLETING_REBALANCE);
        COMPLETING_REBALANCE.validPrevious = EnumSet.of(PREPARING_REBALANCE);
        STABLE.validPrevious = EnumSet.of(COMPLETING_REBALANCE);
        DEAD.validPrevious = EnumSet.allOf(GroupState.class);
    }

    GroupState(String displayName) {
        this.displayName = displayName;
    }

    /** Kafka's name of the state, as {@code describeConsumerGroups} reports it. */
    public String displayName() {
        return displayName;
    }

    public boolean canFollow(GroupState previous) {
        return validPrevious.contains(previous);
    }

    public static GroupState forDisplayName(String name) {
        for (GroupState s : values()) {
            if (s.displayName.equalsIgnoreCase(name)) {
                return s;
            }
        }
        throw new IllegalArgumentException("Unknown group state '" + name + "'");
    }
}
