package io.weir.state.internals;

import io.weir.common.utils.Time;
import io.weir.state.ChangelogHook;
import io.weir.state.FlushListener;
import io.weir.state.KeyValueStore;
import io.weir.state.Serde;
import io.weir.state.StoreConfig;
import java.nio.file.Path;

/**
 * Assembles a store stack — backend, then change logging, then caching, then serdes — for
 * {@link io.weir.state.KeyValueStoreBuilder}. Public only so that the API package can reach it; not an API.
 */
public final class Stores {
    private Stores() {}

    /**
     * @param directory the LMDB directory, or {@code null} for an in-memory store
     * @param changelog may be null
     * @param flushListener may be null; requires a cache
     */
    public static <K, V> KeyValueStore<K, V> open(
            String name,
            Path directory,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            StoreConfig config,
            ChangelogHook changelog,
            FlushListener<K, V> flushListener,
            Time time) {
        StoreLifecycle lifecycle = new StoreLifecycle(name, time, config.closeGrace());
        BytesStore store = directory == null
                ? new InMemoryBytesStore(
                        name,
                        lifecycle,
                        new RecordLimits(name, RecordLimits.LMDB_MAX_KEY_BYTES, config.maxValueBytes()),
                        config.restoreBatchRecords())
                : LmdbBytesStore.open(name, directory, config, lifecycle);
        if (changelog != null) {
            store = new ChangeLoggingBytesStore(store, changelog);
        }
        if (config.cacheMaxBytes() > 0) {
            CachingBytesStore.Forwarder forwarder = flushListener == null
                    ? null
                    : (k, v, old) -> flushListener.onFlush(
                            keySerde.deserialize(k),
                            v == null ? null : valueSerde.deserialize(v),
                            old == null ? null : valueSerde.deserialize(old));
            store = new CachingBytesStore(store, config.cacheMaxBytes(), forwarder);
        }
        return new TypedKeyValueStore<>(store, keySerde, valueSerde);
    }
}
