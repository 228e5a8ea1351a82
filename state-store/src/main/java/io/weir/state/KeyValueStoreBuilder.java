package io.weir.state;

import io.weir.common.utils.Time;
import io.weir.state.internals.Stores;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Builds and opens a {@link KeyValueStore}. Each option may be set once; a bad or repeated option is rejected when it
 * is set, combinations in {@link #build()}.
 *
 * <pre>{@code
 * KeyValueStore<String, Long> counts = KeyValueStores.builder("counts", Serdes.string(), Serdes.orderedInt64())
 *         .lmdb(stateDir.resolve("counts"))
 *         .config(StoreConfig.fromMap(props))
 *         .changelog((key, value) -> changelogProducer.send(key, value))
 *         .build();
 * }</pre>
 */
public final class KeyValueStoreBuilder<K, V> {
    private enum Backend {
        LMDB,
        IN_MEMORY
    }

    private final String name;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private Backend backend;
    private Path directory;
    private StoreConfig config;
    private ChangelogHook changelog;
    private FlushListener<K, V> flushListener;
    private Time time;

    KeyValueStoreBuilder(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("store name must not be blank, was '" + name + "'");
        }
        this.name = name;
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
    }

    private static void once(Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }

    /** Store data in LMDB, in {@code directory} (created if missing; one store per directory). */
    public KeyValueStoreBuilder<K, V> lmdb(Path directory) {
        once(backend, "backend");
        this.directory = Objects.requireNonNull(directory, "directory");
        this.backend = Backend.LMDB;
        return this;
    }

    /** Keep data in memory only; it is lost on close. */
    public KeyValueStoreBuilder<K, V> inMemory() {
        once(backend, "backend");
        this.backend = Backend.IN_MEMORY;
        return this;
    }

    /** Typed configuration (default {@link StoreConfig#DEFAULTS}). */
    public KeyValueStoreBuilder<K, V> config(StoreConfig config) {
        once(this.config, "config");
        this.config = Objects.requireNonNull(config, "config");
        return this;
    }

    /** Hook that sees every write reaching the store, after cache collapsing. */
    public KeyValueStoreBuilder<K, V> changelog(ChangelogHook hook) {
        once(changelog, "changelog");
        this.changelog = Objects.requireNonNull(hook, "hook");
        return this;
    }

    /** Downstream forwarder of cache flushes; requires {@code statestore.cache.max.bytes > 0}. */
    public KeyValueStoreBuilder<K, V> flushListener(FlushListener<K, V> listener) {
        once(flushListener, "flushListener");
        this.flushListener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** Time source for the close grace and restore rates (default {@link Time#SYSTEM}). */
    public KeyValueStoreBuilder<K, V> time(Time time) {
        once(this.time, "time");
        this.time = Objects.requireNonNull(time, "time");
        return this;
    }

    /**
     * Opens the store.
     *
     * @throws IllegalStateException if no backend was chosen, or a flush listener was given without a cache
     * @throws io.weir.state.errors.StoreDirectoryException    if the LMDB directory is unusable
     * @throws io.weir.state.errors.StoreLockedException       if another open store holds the directory
     * @throws io.weir.state.errors.CorruptCheckpointException if the stored checkpoint cannot be decoded
     */
    public KeyValueStore<K, V> build() {
        if (backend == null) {
            throw new IllegalStateException("store '" + name + "': choose a backend with lmdb(dir) or inMemory()");
        }
        StoreConfig effective = config == null ? StoreConfig.DEFAULTS : config;
        if (flushListener != null && effective.cacheMaxBytes() == 0) {
            throw new IllegalStateException("store '" + name + "': a flushListener needs a cache, but "
                    + StoreConfig.CACHE_MAX_BYTES + " is 0");
        }
        return Stores.open(
                name,
                backend == Backend.LMDB ? directory : null,
                keySerde,
                valueSerde,
                effective,
                changelog,
                flushListener,
                time == null ? Time.SYSTEM : time);
    }
}
