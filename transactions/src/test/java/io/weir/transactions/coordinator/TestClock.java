package io.weir.transactions.coordinator;

import io.weir.transactions.Clock;

/** A clock that moves only when a test says so. */
final class TestClock implements Clock {
    private long nowMs;

    TestClock(long startMs) {
        this.nowMs = startMs;
    }

    @Override
    public long milliseconds() {
        return nowMs;
    }

    void advance(long ms) {
        nowMs += ms;
    }
}
