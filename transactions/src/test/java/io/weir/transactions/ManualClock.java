package io.weir.transactions;

/** A clock that moves only when a test says so. */
final class ManualClock implements Clock {
    private long nowMs;

    ManualClock(long startMs) {
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
