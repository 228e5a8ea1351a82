package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Suppressed;
import io.weir.streams.kstream.Windowed;
import java.time.Duration;
import java.util.Objects;

/**
 * A suppression as configured, as Kafka Streams' {@code SuppressedInternal} and {@code FinalResultsSuppressionBuilder}:
 * either final results (the wait is the upstream windows' close delay, found when the suppression is added) or a
 * time limit. Immutable.
 *
 * @param name the processor's name, or null for a generated one
 * @param finalResults whether this is {@code untilWindowCloses}: buffer time is the window's end, tombstones are
 *     dropped
 * @param timeLimitMs the wait of {@code untilTimeLimit}; unused for final results
 */
public record SuppressedInternal<K>(
        String name, boolean finalResults, long timeLimitMs, BufferConfigInternal<?> bufferConfig)
        implements Suppressed<K> {

    @SuppressWarnings("rawtypes")
    public static Suppressed<Windowed> finalResults(Suppressed.StrictBufferConfig bufferConfig) {
        return new SuppressedInternal<>(null, true, -1L, internal(bufferConfig));
    }

    public static <K> Suppressed<K> timeLimit(Duration timeToWait, Suppressed.BufferConfig<?> bufferConfig) {
        Objects.requireNonNull(timeToWait, "timeToWaitForMoreEvents");
        if (timeToWait.isNegative()) {
            throw new IllegalArgumentException("timeToWaitForMoreEvents must not be negative, was " + timeToWait);
        }
        return new SuppressedInternal<>(null, false, timeToWait.toMillis(), internal(bufferConfig));
    }

    private static BufferConfigInternal<?> internal(Suppressed.BufferConfig<?> config) {
        if (config == null) {
            throw new IllegalArgumentException("bufferConfig must not be null");
        }
        if (!(config instanceof BufferConfigInternal<?> internal)) {
            throw new IllegalArgumentException("Custom implementations of Suppressed.BufferConfig are not supported: "
                    + config.getClass().getName());
        }
        return internal;
    }

    @Override
    public Suppressed<K> withName(String name) {
        return new SuppressedInternal<>(Objects.requireNonNull(name, "name"), finalResults, timeLimitMs, bufferConfig);
    }
}
