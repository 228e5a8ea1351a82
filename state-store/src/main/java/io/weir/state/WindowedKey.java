package io.weir.state;

import java.util.Objects;

/**
 * A key with the time window it belongs to, {@code [start, end]} in milliseconds: a fixed-size window of a
 * {@link WindowStore} ({@code end = start + windowSize}) or a session of a {@link SessionStore} (start and end are
 * its first and last record's timestamps).
 */
public record WindowedKey<K>(K key, long start, long end) {
    public WindowedKey {
        Objects.requireNonNull(key, "key");
        if (end < start) {
            throw new IllegalArgumentException("window end " + end + " is before its start " + start);
        }
    }
}
