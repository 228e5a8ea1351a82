package io.weir.streams.state.internals;

import io.weir.streams.kstream.Windowed;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.ReadOnlySessionStore;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/** Reads across every partition's instance of one session store; see {@link CompositeReadOnlyWindowStore}. */
public final class CompositeReadOnlySessionStore<K, V> implements ReadOnlySessionStore<K, V> {
    private final String name;
    private final Supplier<List<ReadOnlySessionStore<K, V>>> instances;

    public CompositeReadOnlySessionStore(String name, Supplier<List<ReadOnlySessionStore<K, V>>> instances) {
        this.name = name;
        this.instances = instances;
    }

    private KeyValueIterator<Windowed<K>, V> chain(
            Function<ReadOnlySessionStore<K, V>, KeyValueIterator<Windowed<K>, V>> scan) {
        return ChainedIterator.over(name, instances.get(), scan);
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K key, long earliestEnd, long latestStart) {
        return chain(s -> s.findSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(K key, long earliestEnd, long latestStart) {
        return chain(s -> s.backwardFindSessions(key, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> findSessions(K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return chain(s -> s.findSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFindSessions(
            K keyFrom, K keyTo, long earliestEnd, long latestStart) {
        return chain(s -> s.backwardFindSessions(keyFrom, keyTo, earliestEnd, latestStart));
    }

    @Override
    public V fetchSession(K key, long sessionStartTime, long sessionEndTime) {
        for (ReadOnlySessionStore<K, V> store : instances.get()) {
            V value = store.fetchSession(key, sessionStartTime, sessionEndTime);
            if (value != null) {
                return value;
            }
        }
        return null;
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K key) {
        return chain(s -> s.fetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K key) {
        return chain(s -> s.backwardFetch(key));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> fetch(K keyFrom, K keyTo) {
        return chain(s -> s.fetch(keyFrom, keyTo));
    }

    @Override
    public KeyValueIterator<Windowed<K>, V> backwardFetch(K keyFrom, K keyTo) {
        return chain(s -> s.backwardFetch(keyFrom, keyTo));
    }
}
