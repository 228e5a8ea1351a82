package io.weir.streams.state.internals;

/** Opens one task's instance of a store. Implemented by every {@code StoreBuilder} of this module. */
public interface StoreFactory {

    String name();

    /** Opens a fresh instance for one task; the task commits and closes it. */
    ManagedStore open(StoreContext context);
}
