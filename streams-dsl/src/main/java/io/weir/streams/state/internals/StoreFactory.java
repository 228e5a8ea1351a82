package io.weir.streams.state.internals;

import java.util.Map;

/** Opens one task's instance of a store. Implemented by every {@code StoreBuilder} of this module. */
public interface StoreFactory {

    String name();

    /** Whether the store's changes go to a changelog topic, {@code <application.id>-<name>-changelog}. */
    boolean loggingEnabled();

    /** Topic configs of the changelog, over the compacted default. */
    Map<String, String> logConfig();

    /** Whether the store keeps its data on disk across restarts (LMDB) or in memory only. */
    boolean persistent();

    /** Opens a fresh instance for one task; the task commits and closes it. */
    ManagedStore open(StoreContext context);
}
