package io.weir.streams.state.internals;

import io.weir.state.WindowedKey;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlySessionStore;
import java.util.Set;
import java.util.function.Supplier;

/**
 * The committed data of one task's session store as interactive queries read it: thread-safe, each scan one
 * snapshot of the last commit; see {@link CommittedView} for the migration rules.
 */
final class CommittedSessionView<K, V> implements ReadOnlySessionStore<K, V> {
    private final String name;
    private final io.weir.state.ReadOnlySessionStore<K, V> committed;
    private final Set<AutoCloseable> open;

    CommittedSessionView(String name, io.weir.state.ReadOnlySessionStore<K, V> committed, Set<AutoCloseable> open) {
        this.name = name;
        this.committed = committed;
        this.open = open;
    }

    private KeyValueIterator<Windowed<K>, V> sessions(
            Supplier<io.weir.state.KeyValueIterator<WindowedKey<K>, V>> scan) {
        return QueryIterator.open(name, QueryIterator.read(name, scan), WindowedKeys::sessionWindowed, v -> v, open);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
        return sessions(() -> committed.findSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(K key, long earliestEnd, long latestStart) {
        return sessions(() -> committed.backwardFindSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return sessions(() -> committed.findSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(
            K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return sessions(() -> committed.backwardFindSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public V fetchSession(K key, long sessionStartTime, long sessionEndTime) {
        return QueryIterator.read(name, () -> committed.fetchSession(key, sessionStartTime, sessionEndTime));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K key) {
        return sessions(() -> committed.fetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K key) {
        return sessions(() -> committed.backwardFetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo) {
        return sessions(() -> committed.fetch(keyFrom, keyTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo) {
        return sessions(() -> committed.backwardFetch(keyFrom, keyTo));
    }
}
