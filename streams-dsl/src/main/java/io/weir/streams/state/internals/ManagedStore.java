package io.weir.streams.state.internals;

import io.weir.streams.processor.StateStore;

/** What the task that owns a store does with it besides handing it to processors. */
public interface ManagedStore extends StateStore {

    /** Makes every write so far durable (and visible to interactive queries). */
    void commit();

    void close();
}
