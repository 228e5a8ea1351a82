package io.weir.streams.kstream;

import java.util.Map;

/** Fixed-size windows a record falls into, as Kafka Streams' {@code Windows}: tumbling or hopping time windows. */
public abstract class Windows<W extends Window> {

    protected Windows() {}

    /** The windows a record with {@code timestamp} belongs to, by start time. */
    public abstract Map<Long, W> windowsFor(long timestamp);

    /** The size of each window in milliseconds. */
    public abstract long size();

    /** How long after a window ends records for it are still accepted, in milliseconds. */
    public abstract long gracePeriodMs();

    static long checkDuration(java.time.Duration d, String what) {
        if (d == null) {
            throw new IllegalArgumentException(what + " must not be null");
        }
        if (d.isNegative()) {
            throw new IllegalArgumentException(what + " must not be negative, was " + d);
        }
        return d.toMillis();
    }
}
