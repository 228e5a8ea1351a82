package io.weir.state.internals;

import io.weir.common.utils.Time;
import io.weir.state.ChangelogHook;
import io.weir.state.FlushListener;
import io.weir.state.KeyValueStore;
import io.weir.state.Serde;
import io.weir.state.SessionStore;
import io.weir.state.StoreConfig;
import io.weir.state.WindowStore;
import io.weir.state.WindowedKey;
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
        CachingBytesStore.Forwarder forwarder = flushListener == null
                ? null
                : (k, v, old) -> flushListener.onFlush(
                        keySerde.deserialize(k),
                        v == null ? null : valueSerde.deserialize(v),
                        old == null ? null : valueSerde.deserialize(old));
        BytesStore store =
                openStack(name, directory, config, changelog, forwarder, time).top();
        return new TypedKeyValueStore<>(store, keySerde, valueSerde);
    }

    /** A window store over the same stack; suffix layout and segments on {@link TypedWindowStore}. */
    public static <K, V> WindowStore<K, V> openWindowStore(
            String name,
            Path directory,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            StoreConfig config,
            ChangelogHook changelog,
            FlushListener<WindowedKey<K>, V> flushListener,
            Time time,
            long retentionMs,
            long windowSizeMs,
            boolean retainDuplicates) {
        CachingBytesStore.Forwarder forwarder = flushListener == null
                ? null
                : (k, v, old) -> {
                    byte[] suffix = SegmentedBytesStore.suffix(k);
                    long start = TypedWindowStore.startOf(suffix);
                    byte[] key = java.util.Arrays.copyOf(suffix, suffix.length - Long.BYTES - Integer.BYTES);
                    flushListener.onFlush(
                            new WindowedKey<>(keySerde.deserialize(key), start, start + windowSizeMs),
                            valueSerde.deserialize(v),
                            valueSerde.deserialize(old));
                };
        Stack stack = openStack(name, directory, config, changelog, forwarder, time);
        return closingOnFailure(
                stack,
                () -> new TypedWindowStore<>(
                        stack.top(),
                        stack.backend(),
                        retentionMs,
                        windowSizeMs,
                        retainDuplicates,
                        keySerde,
                        valueSerde));
    }

    /** A session store over the same stack; suffix layout and segments on {@link TypedSessionStore}. */
    public static <K, V> SessionStore<K, V> openSessionStore(
            String name,
            Path directory,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            StoreConfig config,
            ChangelogHook changelog,
            FlushListener<WindowedKey<K>, V> flushListener,
            Time time,
            long retentionMs) {
        CachingBytesStore.Forwarder forwarder = flushListener == null
                ? null
                : (k, v, old) -> {
                    byte[] suffix = SegmentedBytesStore.suffix(k);
                    byte[] key = java.util.Arrays.copyOf(suffix, suffix.length - 2 * Long.BYTES);
                    flushListener.onFlush(
                            new WindowedKey<>(
                                    keySerde.deserialize(key),
                                    TypedSessionStore.startOf(suffix),
                                    TypedSessionStore.endOf(suffix)),
                            valueSerde.deserialize(v),
                            valueSerde.deserialize(old));
                };
        Stack stack = openStack(name, directory, config, changelog, forwarder, time);
        return closingOnFailure(
                stack, () -> new TypedSessionStore<>(stack.top(), stack.backend(), retentionMs, keySerde, valueSerde));
    }

    private static <T> T closingOnFailure(Stack stack, java.util.function.Supplier<T> open) {
        try {
            return open.get();
        } catch (RuntimeException e) {
            stack.top().close();
            throw e;
        }
    }

    /** A store's layers: {@code top} (cache, then change logging, then backend) and the backend itself. */
    record Stack(BytesStore top, AbstractBytesStore backend) {}

    /** Opens the backend and stacks change logging and the cache (if {@code config} gives it bytes) on it. */
    static Stack openStack(
            String name,
            Path directory,
            StoreConfig config,
            ChangelogHook changelog,
            CachingBytesStore.Forwarder forwarder,
            Time time) {
        StoreLifecycle lifecycle = new StoreLifecycle(name, time, config.closeGrace());
        AbstractBytesStore backend = directory == null
                ? new InMemoryBytesStore(
                        name,
                        lifecycle,
                        new RecordLimits(name, RecordLimits.LMDB_MAX_KEY_BYTES, config.maxValueBytes()),
                        config.restoreBatchRecords())
                : LmdbBytesStore.open(name, directory, config, lifecycle);
        BytesStore store = backend;
        if (changelog != null) {
            store = new ChangeLoggingBytesStore(store, changelog);
        }
        if (config.cacheMaxBytes() > 0) {
            store = new CachingBytesStore(store, config.cacheMaxBytes(), forwarder);
        }
        return new Stack(store, backend);
    }
}
