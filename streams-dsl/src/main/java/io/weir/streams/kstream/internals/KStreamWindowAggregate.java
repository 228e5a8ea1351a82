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
        for (TimeWindow window : windows.windowsFor(timestamp).values()) {
            if (window.end() <= closeTime) {
                skipClosed(window.start(), window.end(), timestamp, closeTime);
                continue;
            }
            fold(record, window, store.fetch(record.key(), window.start()));
        }
    }
}
