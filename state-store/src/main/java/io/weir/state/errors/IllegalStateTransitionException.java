package io.weir.state.errors;

import io.weir.state.StoreState;

/** A lifecycle transition the store's transition table does not allow; names both states. */
public final class IllegalStateTransitionException extends StateStoreException {
    private final StoreState from;
    private final StoreState to;

    public IllegalStateTransitionException(String store, StoreState from, StoreState to) {
        super("store '" + store + "': illegal transition " + from + " -> " + to);
        this.from = from;
        this.to = to;
    }

    public StoreState from() {
        return from;
    }

    public StoreState to() {
        return to;
    }
}
