package io.weir.streams.state.internals;

import io.weir.state.FlushListener;
import io.weir.state.WindowedKey;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlySessionStore;
import io.weir.streams.state.SessionStore;

/**
 * Kafka Streams' {@link SessionStore} over a state-store module session store, keys as {@link Windowed}. Used by its
 * task's thread only, as the store beneath it requires.
 */
public final class SessionStoreFacade<K, V> extends AbstractManagedStore
        implements SessionStore<K, V>, CachedStore<Windowed<K>, V> {
    private final io.weir.state.SessionStore<K, V> store;
    private final FlushTarget<WindowedKey<K>, V> flushes;

    SessionStoreFacade(
            io.weir.state.SessionStore<K, V> store, boolean persistent, FlushTarget<WindowedKey<K>, V> flushes) {
        super(store, persistent);
        this.store = store;
        this.flushes = flushes;
    }

    @Override
    public boolean setFlushListener(FlushListener<Windowed<K>, V> listener) {
        if (flushes == null) {
            return false;
        }
        flushes.set((key, now, before) -> listener.onFlush(WindowedKeys.sessionWindowed(key), now, before));
        return true;
    }

    private static <K, V> KeyValueIterator<Windowed<K>, V> sessions(
            io.weir.state.KeyValueIterator<WindowedKey<K>, V> it) {
        return StoreIterators.mapKeys(it, WindowedKeys::sessionWindowed);
    }

    @Override
    public void put(Windowed<K> sessionKey, V aggregate) {
        store.put(WindowedKeys.of(sessionKey), aggregate);
    }

    @Override
    public void remove(Windowed<K> sessionKey) {
        store.remove(WindowedKeys.of(sessionKey));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
        return sessions(store.findSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(K key, long earliestEnd, long latestStart) {
        return sessions(store.backwardFindSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return sessions(store.findSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(
            K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return sessions(store.backwardFindSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public V fetchSession(K key, long sessionStartTime, long sessionEndTime) {
        return store.fetchSession(key, sessionStartTime, sessionEndTime);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K key) {
        return sessions(store.fetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K key) {
        return sessions(store.backwardFetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo) {
        return sessions(store.fetch(keyFrom, keyTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo) {
        return sessions(store.backwardFetch(keyFrom, keyTo));
    }

    /** The owner's reads (uncommitted writes included), for the test driver. */
    public ReadOnlySessionStore<K, V> ownerView() {
        return new CommittedSessionView<>(name(), store, queryIterators);
    }

    @Override
    public Object queryView() {
        return new CommittedSessionView<>(name(), store.readOnlyView(), queryIterators);
    }
}
