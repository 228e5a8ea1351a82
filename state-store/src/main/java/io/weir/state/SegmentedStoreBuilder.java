package io.weir.state;

import io.weir.common.utils.Time;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

/**
 * The options window and session store builders share. Each option may be set once; a bad or repeated option is
 * rejected when it is set, missing ones in {@code build()}.
 *
 * @param <B> the concrete builder, returned by every option
 */
abstract class SegmentedStoreBuilder<K, V, B extends SegmentedStoreBuilder<K, V, B>> {
    final String name;
    final Serde<K> keySerde;
    final Serde<V> valueSerde;
    Path directory;
    boolean inMemory;
    StoreConfig config;
    ChangelogHook changelog;
    FlushListener<WindowedKey<K>, V> flushListener;
    Time time;
    Duration retention;

    SegmentedStoreBuilder(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("store name must not be blank, was '" + name + "'");
        }
        this.name = name;
        this.keySerde = Objects.requireNonNull(keySerde, "keySerde");
        this.valueSerde = Objects.requireNonNull(valueSerde, "valueSerde");
    }

    @SuppressWarnings("unchecked")
    private B self() {
        return (B) this;
    }

    static void once(Object current, String option) {
        if (current != null) {
            throw new IllegalStateException(option + " was already set to " + current);
        }
    }

    private void onceBackend() {
        if (directory != null || inMemory) {
            throw new IllegalStateException("backend was already set to " + (inMemory ? "in-memory" : directory));
        }
    }

    /** Store data in LMDB, in {@code directory} (created if missing; one store per directory). */
    public B lmdb(Path directory) {
        onceBackend();
        this.directory = Objects.requireNonNull(directory, "directory");
        return self();
    }

    /** Keep data in memory only; it is lost on close. */
    public B inMemory() {
        onceBackend();
        this.inMemory = true;
        return self();
    }

    /** Typed configuration (default {@link StoreConfig#DEFAULTS}). */
    public B config(StoreConfig config) {
        once(this.config, "config");
        this.config = Objects.requireNonNull(config, "config");
        return self();
    }

    /** Hook that sees every write reaching the store, after cache collapsing (not the drops of whole segments). */
    public B changelog(ChangelogHook hook) {
        once(changelog, "changelog");
        this.changelog = Objects.requireNonNull(hook, "hook");
        return self();
    }

    /** Downstream forwarder of cache flushes; requires {@code statestore.cache.max.bytes > 0}. */
    public B flushListener(FlushListener<WindowedKey<K>, V> listener) {
        once(flushListener, "flushListener");
        this.flushListener = Objects.requireNonNull(listener, "listener");
        return self();
    }

    /** Time source for the close grace and restore rates (default {@link Time#SYSTEM}). */
    public B time(Time time) {
        once(this.time, "time");
        this.time = Objects.requireNonNull(time, "time");
        return self();
    }

    /** How long data is kept, measured back from the newest time the store has seen; required, > 0. */
    public B retention(Duration retention) {
        once(this.retention, "retention");
        Objects.requireNonNull(retention, "retention");
        if (retention.isNegative() || retention.isZero()) {
            throw new IllegalArgumentException("store '" + name + "': retention must be > 0, was " + retention);
        }
        this.retention = retention;
        return self();
    }

    /** The checks every build makes; returns the effective config. */
    StoreConfig validate() {
        if (directory == null && !inMemory) {
            throw new IllegalStateException("store '" + name + "': choose a backend with lmdb(dir) or inMemory()");
        }
        if (retention == null) {
            throw new IllegalStateException("store '" + name + "': set a retention");
        }
        StoreConfig effective = config == null ? StoreConfig.DEFAULTS : config;
        if (flushListener != null && effective.cacheMaxBytes() == 0) {
            throw new IllegalStateException("store '" + name + "': a flushListener needs a cache, but "
                    + StoreConfig.CACHE_MAX_BYTES + " is 0");
        }
        return effective;
    }

    Time timeOrSystem() {
        return time == null ? Time.SYSTEM : time;
    }
}
