package io.weir.broker.internals.write;

import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import java.nio.ByteBuffer;

/**
 * One slot of an append ring, allocated once when the ring is built and reused for every request that passes
 * through it. A publisher fills {@code log}, {@code batches} and {@code callback}; the append thread fills
 * the outcome and clears the slot once the callback ran, so the ring holds no references to old requests.
 * The Disruptor's sequence barriers order these plain fields between the two threads.
 */
final class AppendEvent {
    Log log;
    ByteBuffer batches;
    AppendOrigin origin;
    AppendCallback callback;
    LogAppendInfo result;
    RuntimeException error;

    void set(Log log, ByteBuffer batches, AppendOrigin origin, AppendCallback callback) {
        this.log = log;
        this.batches = batches;
        this.origin = origin;
        this.callback = callback;
        this.result = null;
        this.error = null;
    }

    void clear() {
        log = null;
        batches = null;
        origin = null;
        callback = null;
        result = null;
        error = null;
    }
}
