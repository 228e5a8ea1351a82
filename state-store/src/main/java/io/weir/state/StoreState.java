package io.weir.state;

import java.util.EnumSet;
import java.util.Set;

/**
 * Lifecycle of a store. A store is opened by its builder and starts {@code OPEN}. {@code close()} moves it to
 * {@code CLOSING} while it waits (up to the close grace) for open iterators; it then becomes {@code CLOSED}, or goes
 * back to {@code OPEN} when iterators are still open and the close is refused.
 */
public enum StoreState {
    OPEN,
    CLOSING,
    CLOSED;

    private Set<StoreState> next;

    static {
        OPEN.next = EnumSet.of(CLOSING);
        CLOSING.next = EnumSet.of(OPEN, CLOSED);
        CLOSED.next = EnumSet.noneOf(StoreState.class);
    }

    /** Whether the transition table allows {@code this -> target}. */
    public boolean canTransitionTo(StoreState target) {
        return next.contains(target);
    }
}
