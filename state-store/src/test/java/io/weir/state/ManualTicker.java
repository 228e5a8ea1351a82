package io.weir.state;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

/** A test clock: time moves only when a test advances it. */
public final class ManualTicker implements Ticker {
    private final AtomicLong nanos = new AtomicLong(1_000_000_000L);

    @Override
    public long nanoTime() {
        return nanos.get();
    }

    public void advance(Duration d) {
        nanos.addAndGet(d.toNanos());
    }
}
