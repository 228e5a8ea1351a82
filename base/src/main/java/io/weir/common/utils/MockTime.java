package io.weir.common.utils;

import java.util.concurrent.atomic.AtomicLong;

/**
 * A manual clock for tests, ours and users' (as Kafka ships its {@code MockTime}): time moves only when the test
 * calls {@link #sleep}. Thread-safe.
 */
public final class MockTime implements Time {
    private final AtomicLong nanos;
    private final long wallOffsetMs;

    public MockTime() {
        this(1_700_000_000_000L);
    }

    public MockTime(long startWallMs) {
        this.nanos = new AtomicLong(0);
        this.wallOffsetMs = startWallMs;
    }

    @Override
    public long milliseconds() {
        return wallOffsetMs + nanos.get() / 1_000_000L;
    }

    @Override
    public long nanoseconds() {
        return nanos.get();
    }

    /** Advances the clock; nothing actually waits. */
    public void sleep(long ms) {
        nanos.addAndGet(ms * 1_000_000L);
    }

    /** Advances the clock by less than a millisecond where a test needs it. */
    public void sleepNanos(long ns) {
        nanos.addAndGet(ns);
    }
}
