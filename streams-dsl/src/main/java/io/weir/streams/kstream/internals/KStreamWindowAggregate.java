package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.TimeWindow;
import io.weir.streams.kstream.TimeWindows;
import io.weir.streams.processor.api.Record;

/**
 * Folds each record into every time window it falls in, as Kafka Streams' {@code KStreamWindowAggregate}: a window
 * {@code [start, end)} is closed once stream time reaches its end plus the grace period, and a record is dropped for a
 * closed window and counted (see {@link TimeWindowAggregateProcessor}).
 */
final class KStreamWindowAggregate<K, V, VA> extends TimeWindowAggregateProcessor<K, V, VA> {
    private final TimeWindows windows;

    KStreamWindowAggregate(String name, String storeName, TimeWindows windows, KStreamAggregate.Step<K, V, VA> step) {
        super(name, storeName, step);
        this.windows = windows;
    }

    @Override
    public void process(Record<K, V> record) {
        if (!accept(record)) {
            return;
        }
        long timestamp = record.timestamp();
        long closeTime = observedStreamTime - windows.gracePeriodMs();
        // The windows of TimeWindows.windowsFor, without building its map for every record.
        long size = windows.sizeMs;
        long advance = windows.advanceMs;
        for (long start = (Math.max(0, timestamp - size + advance) / advance) * advance;
                start <= timestamp;
                start += advance) {
            long end = start + size;
            if (end <= closeTime) {
                skipClosed(start, end, timestamp, closeTime);
                continue;
            }
            fold(record, new TimeWindow(start, end), store.fetch(record.key(), start));
        }
    }
}
