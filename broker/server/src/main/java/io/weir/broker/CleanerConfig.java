package io.weir.broker;

import io.weir.broker.internals.log.OffsetMap;
import io.weir.common.errors.InvalidConfigurationException;

/**
 * The log cleaner's broker-wide settings, with Kafka's keys. Immutable.
 *
 * @param enabled         {@code log.cleaner.enable}: whether compacted topics are cleaned at all
 * @param threads         {@code log.cleaner.threads}: how many logs are cleaned at once
 * @param dedupeBufferSize {@code log.cleaner.dedupe.buffer.size}: bytes of key-to-offset map, shared by the
 *                        threads; a log with more distinct keys in its dirty part is cleaned in several passes
 * @param ioBufferSize    {@code log.cleaner.io.buffer.size}: bytes of read and write buffer, shared by the threads
 * @param loadFactor      {@code log.cleaner.io.buffer.load.factor}: how full the map may get before a pass stops
 * @param backoffMs       {@code log.cleaner.backoff.ms}: how long a cleaner thread sleeps when no log needs cleaning
 */
public record CleanerConfig(
        boolean enabled, int threads, long dedupeBufferSize, int ioBufferSize, double loadFactor, long backoffMs) {

    /** Kafka's defaults. */
    public static final CleanerConfig DEFAULTS =
            new CleanerConfig(true, 1, 128L * 1024 * 1024, 512 * 1024, 0.9, 15_000L);

    public CleanerConfig {
        if (threads < 1) {
            throw new InvalidConfigurationException("log.cleaner.threads=" + threads + " must be at least 1");
        }
        if (dedupeBufferSize / threads < OffsetMap.BYTES_PER_ENTRY * 1024L) {
            throw new InvalidConfigurationException(
                    "log.cleaner.dedupe.buffer.size=" + dedupeBufferSize + " leaves each of the " + threads
                            + " cleaner threads less than " + OffsetMap.BYTES_PER_ENTRY * 1024L + " bytes (1024 keys)");
        }
        if (ioBufferSize / threads < 2 * 1024) {
            throw new InvalidConfigurationException("log.cleaner.io.buffer.size=" + ioBufferSize
                    + " leaves each of the " + threads + " cleaner threads less than 2048 bytes");
        }
        if (!(loadFactor > 0 && loadFactor <= 1)) {
            throw new InvalidConfigurationException(
                    "log.cleaner.io.buffer.load.factor=" + loadFactor + " must be in (0, 1]");
        }
        if (backoffMs < 0) {
            throw new InvalidConfigurationException("log.cleaner.backoff.ms=" + backoffMs + " must be at least 0");
        }
    }

    /** The map memory of one cleaner thread. */
    public long dedupeBufferPerThread() {
        return dedupeBufferSize / threads;
    }

    /** The read (and, equally, write) buffer of one cleaner thread: half its share of the I/O buffer. */
    public int ioBufferPerThread() {
        return ioBufferSize / threads / 2;
    }
}
