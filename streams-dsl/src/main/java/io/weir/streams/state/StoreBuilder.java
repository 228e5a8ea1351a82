package io.weir.streams.state;

import io.weir.streams.processor.StateStore;
import java.util.Map;

/**
 * How a task opens a store, as Kafka Streams' {@code StoreBuilder}: its name, serdes, and whether it is cached and
 * backed by a changelog topic. Each task opens its own instance from it. Options return this builder.
 */
public interface StoreBuilder<T extends StateStore> {

    /** A record cache in front of the store, bounded by {@code statestore.cache.max.bytes} (the default). */
    StoreBuilder<T> withCachingEnabled();

    StoreBuilder<T> withCachingDisabled();

    /** Back the store with a compacted changelog topic with these topic configs (the default, with none). */
    StoreBuilder<T> withLoggingEnabled(Map<String, String> config);

    StoreBuilder<T> withLoggingDisabled();

    String name();

    boolean loggingEnabled();

    Map<String, String> logConfig();
}
