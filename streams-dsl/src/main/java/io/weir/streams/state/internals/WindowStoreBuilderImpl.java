package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;
import io.weir.state.StoreConfig;
import io.weir.state.WindowStores;
import io.weir.state.WindowedKey;
import io.weir.streams.processor.StateStore;
import io.weir.streams.state.SessionBytesStoreSupplier;
import io.weir.streams.state.SessionStore;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.WindowBytesStoreSupplier;
import io.weir.streams.state.WindowStore;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/**
 * A window or session store's recipe: opened once per task over the state-store module's window or session store.
 * Its changelog is compacted and also deleted by time ({@code cleanup.policy=compact,delete}), keeping records for
 * the store's retention plus a day, as Kafka Streams' windowed changelogs do. A store that retains duplicates is
 * never cached (each put is its own entry), as in Kafka.
 */
public final class WindowStoreBuilderImpl<T extends StateStore> extends AbstractStoreBuilder<T> {
    /** Kafka Streams' {@code windowstore.changelog.additional.retention.ms} default. */
    static final long CHANGELOG_ADDITIONAL_RETENTION_MS = Duration.ofDays(1).toMillis();

    private enum Kind {
        WINDOW,
        TIMESTAMPED_WINDOW,
        SESSION
    }

    private final Kind kind;
    private final String name;
    private final long retentionMs;
    private final long windowSizeMs;
    private final boolean retainDuplicates;
    private final boolean persistent;
    private final Serde<?> keySerde;
    private final Serde<?> valueSerde;

    private WindowStoreBuilderImpl(
            Kind kind,
            String name,
            long retentionMs,
            long windowSizeMs,
            boolean retainDuplicates,
            boolean persistent,
            Serde<?> keySerde,
            Serde<?> valueSerde) {
        this.kind = kind;
        this.name = name;
        this.retentionMs = retentionMs;
        this.windowSizeMs = windowSizeMs;
        this.retainDuplicates = retainDuplicates;
        this.persistent = persistent;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
    }

    public static <K, V> StoreBuilder<WindowStore<K, V>> window(
            WindowBytesStoreSupplier s, Serde<K> keySerde, Serde<V> valueSerde) {
        return new WindowStoreBuilderImpl<>(
                Kind.WINDOW,
                s.name(),
                s.retentionPeriod(),
                s.windowSize(),
                s.retainDuplicates(),
                s.persistent(),
                keySerde,
                valueSerde);
    }

    public static <K, V> StoreBuilder<TimestampedWindowStore<K, V>> timestampedWindow(
            WindowBytesStoreSupplier s, Serde<K> keySerde, Serde<V> valueSerde) {
        return new WindowStoreBuilderImpl<>(
                Kind.TIMESTAMPED_WINDOW,
                s.name(),
                s.retentionPeriod(),
                s.windowSize(),
                s.retainDuplicates(),
                s.persistent(),
                keySerde,
                valueSerde);
    }

    public static <K, V> StoreBuilder<SessionStore<K, V>> session(
            SessionBytesStoreSupplier s, Serde<K> keySerde, Serde<V> valueSerde) {
        return new WindowStoreBuilderImpl<>(
                Kind.SESSION, s.name(), s.retentionPeriod(), 0, false, s.persistent(), keySerde, valueSerde);
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    public Map<String, String> logConfig() {
        Map<String, String> config = new HashMap<>();
        config.put("cleanup.policy", "compact,delete");
        config.put("retention.ms", Long.toString(retentionMs + CHANGELOG_ADDITIONAL_RETENTION_MS));
        config.putAll(super.logConfig());
        return Map.copyOf(config);
    }

    @Override
    boolean cached(StoreContext context) {
        return !retainDuplicates && super.cached(context);
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ManagedStore open(StoreContext context) {
        Serde keys = orDefault(keySerde, context.defaultKeySerde());
        Serde values = orDefault(valueSerde, context.defaultValueSerde());
        FlushTarget flushes = new FlushTarget<>();
        FlushTarget cachedFlushes = cached(context) ? flushes : null;
        return switch (kind) {
            case WINDOW -> new WindowStoreFacade<>(
                    openWindow(context, keys, values, flushes), persistent, cachedFlushes);
            case TIMESTAMPED_WINDOW -> new TimestampedWindowStoreFacade<>(
                    openWindow(context, keys, new ValueAndTimestampSerde<>(values), flushes),
                    persistent,
                    cachedFlushes);
            case SESSION -> new SessionStoreFacade<>(
                    openSession(context, keys, values, flushes), persistent, cachedFlushes);
        };
    }

    private StoreConfig config(StoreContext context) {
        return StoreConfig.DEFAULTS.withCacheMaxBytes(cached(context) ? context.cacheMaxBytes() : 0);
    }

    private <K, V> io.weir.state.WindowStore<K, V> openWindow(
            StoreContext context, Serde<K> keys, Serde<V> values, FlushTarget<WindowedKey<K>, V> flushes) {
        String topic = context.changelogTopic();
        var builder = WindowStores.windowStoreBuilder(
                        name, StoreSerdes.adapt(keys, topic), StoreSerdes.adapt(values, topic))
                .config(config(context))
                .time(context.time())
                .retention(Duration.ofMillis(retentionMs))
                .windowSize(Duration.ofMillis(windowSizeMs));
        if (retainDuplicates) {
            builder.retainDuplicates();
        }
        if (logged(context)) {
            builder.changelog(context.changelog());
        }
        if (cached(context)) {
            builder.flushListener(flushes);
        }
        return (persistent ? builder.lmdb(context.taskDirectory().resolve(name)) : builder.inMemory()).build();
    }

    private <K, V> io.weir.state.SessionStore<K, V> openSession(
            StoreContext context, Serde<K> keys, Serde<V> values, FlushTarget<WindowedKey<K>, V> flushes) {
        String topic = context.changelogTopic();
        var builder = WindowStores.sessionStoreBuilder(
                        name, StoreSerdes.adapt(keys, topic), StoreSerdes.adapt(values, topic))
                .config(config(context))
                .time(context.time())
                .retention(Duration.ofMillis(retentionMs));
        if (logged(context)) {
            builder.changelog(context.changelog());
        }
        if (cached(context)) {
            builder.flushListener(flushes);
        }
        return (persistent ? builder.lmdb(context.taskDirectory().resolve(name)) : builder.inMemory()).build();
    }
}
