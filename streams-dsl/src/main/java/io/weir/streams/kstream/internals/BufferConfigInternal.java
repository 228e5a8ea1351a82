package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Suppressed;
import java.util.Map;
import java.util.Objects;

/**
 * A suppression buffer's bounds, what it does when full, and its changelog, as Kafka Streams' {@code
 * StrictBufferConfigImpl} and {@code EagerBufferConfigImpl}: a strict buffer shuts down when full (or is unbounded),
 * an eager one emits its oldest keys early. Immutable; each option returns a new config.
 */
public abstract sealed class BufferConfigInternal<BC extends Suppressed.BufferConfig<BC>>
        implements Suppressed.BufferConfig<BC> {

    /** What a full buffer does. */
    enum FullStrategy {
        EMIT,
        SHUT_DOWN
    }

    final long maxRecords;
    final long maxBytes;
    /** The changelog's topic configs, or null when logging is disabled. */
    final Map<String, String> logConfig;

    private BufferConfigInternal(long maxRecords, long maxBytes, Map<String, String> logConfig) {
        this.maxRecords = maxRecords;
        this.maxBytes = maxBytes;
        this.logConfig = logConfig == null ? null : Map.copyOf(logConfig);
    }

    public static Suppressed.EagerBufferConfig eager(long maxRecords, long maxBytes) {
        return new Eager(maxRecords, maxBytes, Map.of());
    }

    public static Suppressed.StrictBufferConfig strictUnbounded() {
        return new Strict(Long.MAX_VALUE, Long.MAX_VALUE, Map.of());
    }

    abstract FullStrategy fullStrategy();

    /** A config of this kind with the given bounds and changelog configs. */
    abstract BC with(long maxRecords, long maxBytes, Map<String, String> logConfig);

    @Override
    public BC withMaxRecords(long recordLimit) {
        return with(checkLimit(recordLimit, "record limit"), maxBytes, logConfig);
    }

    @Override
    public BC withMaxBytes(long byteLimit) {
        return with(maxRecords, checkLimit(byteLimit, "byte limit"), logConfig);
    }

    @Override
    public BC withLoggingDisabled() {
        return with(maxRecords, maxBytes, null);
    }

    @Override
    public BC withLoggingEnabled(Map<String, String> config) {
        return with(maxRecords, maxBytes, Objects.requireNonNull(config, "config"));
    }

    boolean loggingEnabled() {
        return logConfig != null;
    }

    static long checkLimit(long limit, String what) {
        if (limit < 0) {
            throw new IllegalArgumentException(
                    "The suppression buffer's " + what + " must not be negative, was " + limit);
        }
        return limit;
    }

    @Override
    public Suppressed.StrictBufferConfig withNoBound() {
        return new Strict(Long.MAX_VALUE, Long.MAX_VALUE, logConfig);
    }

    @Override
    public Suppressed.StrictBufferConfig shutDownWhenFull() {
        return new Strict(maxRecords, maxBytes, logConfig);
    }

    @Override
    public Suppressed.EagerBufferConfig emitEarlyWhenFull() {
        return new Eager(maxRecords, maxBytes, logConfig);
    }

    @Override
    public boolean equals(Object o) {
        return o != null
                && o.getClass() == getClass()
                && ((BufferConfigInternal<?>) o).maxRecords == maxRecords
                && ((BufferConfigInternal<?>) o).maxBytes == maxBytes
                && Objects.equals(((BufferConfigInternal<?>) o).logConfig, logConfig);
    }

    @Override
    public int hashCode() {
        return Objects.hash(getClass(), maxRecords, maxBytes, logConfig);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "{maxRecords=" + maxRecords + ", maxBytes=" + maxBytes + ", logConfig="
                + logConfig + '}';
    }

    static final class Strict extends BufferConfigInternal<Suppressed.StrictBufferConfig>
            implements Suppressed.StrictBufferConfig {
        Strict(long maxRecords, long maxBytes, Map<String, String> logConfig) {
            super(maxRecords, maxBytes, logConfig);
        }

        @Override
        FullStrategy fullStrategy() {
            return FullStrategy.SHUT_DOWN;
        }

        @Override
        Suppressed.StrictBufferConfig with(long maxRecords, long maxBytes, Map<String, String> logConfig) {
            return new Strict(maxRecords, maxBytes, logConfig);
        }
    }

    static final class Eager extends BufferConfigInternal<Suppressed.EagerBufferConfig>
            implements Suppressed.EagerBufferConfig {
        Eager(long maxRecords, long maxBytes, Map<String, String> logConfig) {
            super(maxRecords, maxBytes, logConfig);
        }

        @Override
        FullStrategy fullStrategy() {
            return FullStrategy.EMIT;
        }

        @Override
        Suppressed.EagerBufferConfig with(long maxRecords, long maxBytes, Map<String, String> logConfig) {
            return new Eager(maxRecords, maxBytes, logConfig);
        }
    }
}
