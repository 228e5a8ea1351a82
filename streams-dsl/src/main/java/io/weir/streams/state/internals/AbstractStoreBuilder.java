package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.StoreBuilder;
import java.util.Map;

/**
 * The options every store recipe shares: caching (on by default), logging to a changelog topic (on by default),
 * and the application's default serdes for a serde left null.
 */
abstract class AbstractStoreBuilder<T extends StateStore> implements StoreBuilder<T>, StoreFactory {
    private boolean caching = true;
    private boolean logging = true;
    private Map<String, String> logConfig = Map.of();

    @Override
    public StoreBuilder<T> withCachingEnabled() {
        caching = true;
        return this;
    }

    @Override
    public StoreBuilder<T> withCachingDisabled() {
        caching = false;
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingEnabled(Map<String, String> config) {
        logging = true;
        logConfig = Map.copyOf(config);
        return this;
    }

    @Override
    public StoreBuilder<T> withLoggingDisabled() {
        logging = false;
        logConfig = Map.of();
        return this;
    }

    @Override
    public boolean loggingEnabled() {
        return logging;
    }

    @Override
    public Map<String, String> logConfig() {
        return logConfig;
    }

    public boolean cachingEnabled() {
        return caching;
    }

    /** Whether this task's instance gets a cache: caching on, and a share of the cache bytes. */
    boolean cached(StoreContext context) {
        return caching && context.cacheMaxBytes() > 0;
    }

    /** Whether this task's instance writes to a changelog. */
    boolean logged(StoreContext context) {
        return logging && context.changelog() != null;
    }

    @SuppressWarnings("unchecked")
    static <T> Serde<T> orDefault(Serde<T> serde, java.util.function.Supplier<Serde<?>> fallback) {
        return serde != null ? serde : (Serde<T>) fallback.get();
    }
}
