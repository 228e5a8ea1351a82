package io.weir.streams.kstream;

import io.weir.streams.kstream.internals.BufferConfigInternal;
import io.weir.streams.kstream.internals.SuppressedInternal;
import java.time.Duration;
import java.util.Map;

/**
 * How {@link KTable#suppress} holds a table's updates back, as Kafka Streams' {@code Suppressed}: until a window
 * closes (one final result per window), or for a time limit per key (the newest update of a key leaves once stream
 * time has moved the limit past its first buffered update). The buffer keeps each key's newest value, in a store
 * backed by a changelog topic unless logging is disabled. Immutable.
 */
public interface Suppressed<K> {

    /** A buffer that never emits early: when full it stops the application (or it is unbounded). */
    interface StrictBufferConfig extends BufferConfig<StrictBufferConfig> {}

    /** A buffer that emits its oldest keys early when full: fewer duplicate results, not none. */
    interface EagerBufferConfig extends BufferConfig<EagerBufferConfig> {}

    /** The size of the buffer and what happens when it is full. */
    interface BufferConfig<BC extends BufferConfig<BC>> {

        /**
         * A buffer of at most {@code recordLimit} keys that emits early when full.
         *
         * @throws IllegalArgumentException if the limit is negative
         */
        static EagerBufferConfig maxRecords(long recordLimit) {
            return BufferConfigInternal.eager(Long.MAX_VALUE, Long.MAX_VALUE).withMaxRecords(recordLimit);
        }

        /** @throws IllegalArgumentException if the limit is negative */
        BC withMaxRecords(long recordLimit);

        /**
         * A buffer of at most {@code byteLimit} bytes (keys, values and record contexts, as Kafka estimates them) that
         * emits early when full.
         *
         * @throws IllegalArgumentException if the limit is negative
         */
        static EagerBufferConfig maxBytes(long byteLimit) {
            return BufferConfigInternal.eager(Long.MAX_VALUE, Long.MAX_VALUE).withMaxBytes(byteLimit);
        }

        /** @throws IllegalArgumentException if the limit is negative */
        BC withMaxBytes(long byteLimit);

        /** A buffer without bounds: it holds what the time bound asks, however much that is. */
        static StrictBufferConfig unbounded() {
            return BufferConfigInternal.strictUnbounded();
        }

        StrictBufferConfig withNoBound();

        /**
         * When full, fail with a {@code StreamsException} that stops the stream thread (never emit early).
         */
        StrictBufferConfig shutDownWhenFull();

        /** When full, emit the keys buffered longest until it is no longer full. */
        EagerBufferConfig emitEarlyWhenFull();

        /** No changelog: the buffer is lost when its task moves or the application crashes. */
        BC withLoggingDisabled();

        /** A changelog topic (the default) with these topic configs over the compacted default. */
        BC withLoggingEnabled(Map<String, String> config);
    }

    /**
     * Emit each window's final result once, when the window closes: once stream time reaches the window's end plus
     * the grace period (for sessions, plus the inactivity gap) of the windowed aggregation upstream. A window whose
     * final value is a deletion is not emitted. Only for tables of a windowed aggregation.
     */
    @SuppressWarnings("rawtypes")
    static Suppressed<Windowed> untilWindowCloses(StrictBufferConfig bufferConfig) {
        return SuppressedInternal.finalResults(bufferConfig);
    }

    /**
     * Emit a key's newest value once stream time has passed {@code timeToWaitForMoreEvents} beyond the time of the
     * update that put the key into the buffer; later updates of the key replace its value but do not restart the wait.
     *
     * @throws IllegalArgumentException if the duration is negative
     */
    static <K> Suppressed<K> untilTimeLimit(Duration timeToWaitForMoreEvents, BufferConfig<?> bufferConfig) {
        return SuppressedInternal.timeLimit(timeToWaitForMoreEvents, bufferConfig);
    }

    /**
     * Names the suppression's processor {@code name} and its buffer store {@code name-store} (so its changelog is
     * {@code <application.id>-<name>-store-changelog}).
     */
    Suppressed<K> withName(String name);
}
