package io.weir.state.errors;

import io.weir.state.StoreState;

/** An operation on a store that is closing or closed. */
public final class StoreClosedException extends StateStoreException {
    private final String store;
    private final StoreState state;

    public StoreClosedException(String store, StoreState state) {
        super("store '" + store + "' is " + state + "; it cannot be used any more");
        this.store = store;
        this.state = state;
    }

    public String store() {
        return store;
    }

    public StoreState state() {
        return state;
    }
}
