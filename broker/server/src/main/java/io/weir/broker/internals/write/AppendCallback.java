package io.weir.broker.internals.write;

import io.weir.broker.internals.log.LogAppendInfo;

/**
 * Told the outcome of one append, on the append thread, after the ring batch it was part of was flushed
 * (per policy) and made visible. Implementations must be quick and must not block: they run on the one
 * thread that writes every partition of the ring.
 */
@FunctionalInterface
public interface AppendCallback {
    /** Exactly one of {@code info} and {@code error} is non-null. */
    void onComplete(LogAppendInfo info, RuntimeException error);
}
