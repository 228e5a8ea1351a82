package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.WindowedSerdes;

/**
 * The windowed aggregation a table descends from (through filters, value mappers and suppressions), as Kafka Streams
 * finds it by walking the graph ({@code GraphGraceSearchUtil}): what {@code suppress(untilWindowCloses(...))} needs.
 *
 * @param closeDelayMs how long after a window's end stream time must pass before the window is closed: the grace
 *     for time and sliding windows, the inactivity gap plus the grace for sessions
 * @param timeWindowSizeMs the size of a time (or sliding) window, for its key serde; -1 for sessions
 */
record WindowedOrigin(long closeDelayMs, long timeWindowSizeMs) {

    static WindowedOrigin time(long sizeMs, long graceMs) {
        return new WindowedOrigin(graceMs, sizeMs);
    }

    static WindowedOrigin session(long gapAndGraceMs) {
        return new WindowedOrigin(gapAndGraceMs, -1L);
    }

    /** The serde of this table's windowed keys over {@code inner}, the serde of the keys the windows group. */
    @SuppressWarnings("unchecked")
    <K> Serde<K> keySerde(Serde<?> inner) {
        Serde<Windowed<Object>> serde = timeWindowSizeMs < 0
                ? new WindowedSerdes.SessionWindowedSerde<>((Serde<Object>) inner)
                : new WindowedSerdes.TimeWindowedSerde<>((Serde<Object>) inner, timeWindowSizeMs);
        return (Serde<K>) (Serde<?>) serde;
    }

    /** The origin of a table joining two: both must be windowed, and the later close wins, as in Kafka Streams. */
    static WindowedOrigin joined(WindowedOrigin a, WindowedOrigin b) {
        if (a == null || b == null) {
            return null;
        }
        return a.closeDelayMs >= b.closeDelayMs ? a : b;
    }
}
