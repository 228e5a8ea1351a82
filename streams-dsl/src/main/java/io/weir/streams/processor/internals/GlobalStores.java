package io.weir.streams.processor.internals;

import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.internals.ManagedStore;
import io.weir.streams.state.internals.ReadOnlyGlobalStore;
import java.util.Collection;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The global stores of one instance (or one test driver): published by the global task once they are restored, read
 * by every stream task (read-only, committed data) and by interactive queries. Thread-safe: the global thread
 * publishes and withdraws, stream threads and query threads read.
 */
public final class GlobalStores {
    private final Map<String, ManagedStore> stores = new ConcurrentHashMap<>();
    private final Map<String, KeyValueStore<?, ?>> readOnly = new ConcurrentHashMap<>();

    /** Makes {@code restored} visible to stream tasks and queries. */
    public void publish(Collection<ManagedStore> restored) {
        for (ManagedStore store : restored) {
            readOnly.put(store.name(), ReadOnlyGlobalStore.of(store));
            stores.put(store.name(), store);
        }
    }

    /** Withdraws every store, before the global task closes them. */
    public void withdraw() {
        stores.clear();
        readOnly.clear();
    }

    /** The global store {@code name} as a stream task's processors read it, or null if there is none (yet). */
    KeyValueStore<?, ?> readOnly(String name) {
        return readOnly.get(name);
    }

    /** The global store {@code name} itself, for interactive queries (which read its committed view), or null. */
    public ManagedStore store(String name) {
        return stores.get(name);
    }
}
