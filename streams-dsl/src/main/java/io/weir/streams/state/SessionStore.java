package io.weir.streams.state;

import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.StateStore;

/** A session store a processor writes, as Kafka Streams' {@code SessionStore}. Used by its task's thread only. */
public interface SessionStore<K, AGG> extends StateStore, ReadOnlySessionStore<K, AGG> {

    /** Stores the aggregate of the session {@code sessionKey}; null removes it. */
    void put(Windowed<K> sessionKey, AGG aggregate);

    void remove(Windowed<K> sessionKey);
}
