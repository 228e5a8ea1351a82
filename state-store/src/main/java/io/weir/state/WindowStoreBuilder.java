package io.weir.state;

import io.weir.state.internals.Stores;
import java.time.Duration;
import java.util.Objects;

/**
 * Builds and opens a {@link WindowStore}; see {@link SegmentedStoreBuilder} for the shared options.
 *
 * <pre>{@code
 * WindowStore<String, Long> counts = WindowStores.windowStoreBuilder("counts", Serdes.string(), Serdes.orderedInt64())
 *         .lmdb(stateDir.resolve("counts"))
 *         .retention(Duration.ofHours(1))
 *         .windowSize(Duration.ofMinutes(5))
 *         .build();
 * }</pre>
 */
public final class WindowStoreBuilder<K, V> extends SegmentedStoreBuilder<K, V, WindowStoreBuilder<K, V>> {
    private Duration windowSize;
    private boolean retainDuplicates;

    WindowStoreBuilder(String name, Serde<K> keySerde, Serde<V> valueSerde) {
        super(name, keySerde, valueSerde);
    }

    /** The size of each window (a window's end is its start plus this); required, > 0 and <= the retention. */
    public WindowStoreBuilder<K, V> windowSize(Duration size) {
        once(windowSize, "windowSize");
        Objects.requireNonNull(size, "size");
        if (size.isNegative() || size.isZero()) {
            throw new IllegalArgumentException("store '" + name + "': window size must be > 0, was " + size);
        }
        this.windowSize = size;
        return this;
    }

    /** Keep every put as its own entry, even for the same key and start (as a stream-stream join's buffer does). */
    public WindowStoreBuilder<K, V> retainDuplicates() {
        if (retainDuplicates) {
            throw new IllegalStateException("retainDuplicates was already set");
        }
        this.retainDuplicates = true;
        return this;
    }

    /**
     * Opens the store.
     *
     * @throws IllegalStateException if no backend, retention or window size was given, the window is larger than
     *                               the retention, or a flush listener was given without a cache
     */
    public WindowStore<K, V> build() {
        StoreConfig effective = validate();
        if (windowSize == null) {
            throw new IllegalStateException("store '" + name + "': set a windowSize");
        }
        if (windowSize.compareTo(retention) > 0) {
            throw new IllegalStateException("store '" + name + "': the window size " + windowSize
                    + " is larger than the retention " + retention);
        }
        return Stores.openWindowStore(
                name,
                inMemory ? null : directory,
                keySerde,
                valueSerde,
                effective,
                changelog,
                flushListener,
                timeOrSystem(),
                retention.toMillis(),
                windowSize.toMillis(),
                retainDuplicates);
    }
}
