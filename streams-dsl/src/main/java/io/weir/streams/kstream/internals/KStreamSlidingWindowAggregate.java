package io.weir.streams.kstream.internals;

import io.weir.streams.KeyValue;
import io.weir.streams.kstream.SlidingWindows;
import io.weir.streams.kstream.TimeWindow;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.WindowStoreIterator;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * Sliding-window aggregation with KIP-450's semantics, as Kafka Streams' {@code KStreamSlidingWindowAggregate}. The
 * windows of a key are {@code [s, s + d]} (both ends inclusive) and exist only where records put them: each record at
 * {@code t} has its left window {@code [t - d, t]}, and the right window {@code [t + 1, t + 1 + d]} of a record exists
 * once a later record falls in it. Records before {@code d} share the window {@code [0, d]} instead of left windows
 * with negative starts.
 *
 * <p>Invariant, for the windows still open: every window above exists, none other does, and each holds the aggregate
 * of the records in it, in arrival order. A record therefore (1) folds into every stored window that contains it,
 * (2) creates its own left window unless a record at the same time already did, seeding it with the aggregate of the
 * window that ends at the newest earlier record (which then holds exactly the records of {@code [t - d, t)}),
 * (3) creates its own right window, if a later record is within {@code d + 1}, as a copy of the window that holds
 * exactly those later records, and (4) creates the right window of the newest earlier record if it was missing (it
 * was empty until now). All of those windows lie between {@code t - 2d} and {@code t + 1}, so one fetch finds them.
 * A record whose right window is already closed is dropped; a closed window is never updated (each is counted).
 */
final class KStreamSlidingWindowAggregate<K, V, VA> extends TimeWindowAggregateProcessor<K, V, VA> {
    private final SlidingWindows windows;
    private final long d;

    KStreamSlidingWindowAggregate(
            String name, String storeName, SlidingWindows windows, KStreamAggregate.Step<K, V, VA> step) {
        super(name, storeName, step);
        this.windows = windows;
        this.d = windows.timeDifferenceMs();
    }

    @Override
    public void process(Record<K, V> record) {
        if (!accept(record)) {
            return;
        }
        long t = record.timestamp();
        long closeTime = observedStreamTime - windows.gracePeriodMs();
        if (t + d < closeTime) {
            skipClosed(t, t + d, t, closeTime);
            return;
        }
        if (t < d) {
            processEarly(record, closeTime);
        } else {
            processInOrder(record, closeTime);
        }
    }

    /** The key's stored windows with starts in {@code [from, to]}, read before any of them changes. */
    private List<KeyValue<Long, ValueAndTimestamp<VA>>> windowsStarting(K key, long from, long to) {
        List<KeyValue<Long, ValueAndTimestamp<VA>>> found = new ArrayList<>();
        try (WindowStoreIterator<ValueAndTimestamp<VA>> it = store.fetch(key, from, to)) {
            it.forEachRemaining(found::add);
        }
        return found;
    }

    private void processInOrder(Record<K, V> record, long closeTime) {
        long t = record.timestamp();
        Set<Long> starts = new HashSet<>();
        ValueAndTimestamp<VA> leftSeed = null;
        ValueAndTimestamp<VA> rightSeed = null;
        boolean leftExists = false;
        boolean rightExists = false;
        Long previous = null; // the newest record before t, if its window tells
        for (KeyValue<Long, ValueAndTimestamp<VA>> w : windowsStarting(record.key(), Math.max(0, t - 2 * d), t + 1)) {
            long start = w.key();
            long end = start + d;
            long newest = w.value().timestamp();
            starts.add(start);
            if (end < t) {
                leftSeed = w.value();
                previous = newest;
            } else if (end == t) {
                leftExists = true;
                if (newest < t) {
                    previous = newest;
                }
                update(record, start, w.value(), closeTime);
            } else if (start <= t) {
                rightSeed = w.value();
                update(record, start, w.value(), closeTime);
            } else if (start == t + 1) {
                rightExists = true;
            } else {
                throw new IllegalStateException("Sliding window [" + start + ", " + end + "] of the store was found "
                        + "for a record at " + t + ", outside the range fetched");
            }
        }
        if (previous != null && !starts.contains(previous + 1) && previous + 1 + d >= t) {
            create(record, previous + 1, null, closeTime);
        }
        if (!leftExists) {
            boolean leftHoldsOthers = previous != null && t - d <= previous;
            create(record, t - d, leftHoldsOthers ? leftSeed.value() : null, closeTime);
        }
        if (!rightExists && rightSeed != null && rightSeed.timestamp() > t) {
            put(record, new TimeWindow(t + 1, t + 1 + d), rightSeed, null);
        }
    }

    /**
     * A record before {@code d}: it belongs to {@code [0, d]}, which stands for the left windows of every such record,
     * and to the right windows of earlier records that start before it.
     */
    private void processEarly(Record<K, V> record, long closeTime) {
        long t = record.timestamp();
        Set<Long> starts = new HashSet<>();
        ValueAndTimestamp<VA> combined = null;
        ValueAndTimestamp<VA> rightSeed = null;
        boolean rightExists = false;
        Long previous = null;
        for (KeyValue<Long, ValueAndTimestamp<VA>> w : windowsStarting(record.key(), 0, t + 1)) {
            long start = w.key();
            starts.add(start);
            if (start == 0) {
                combined = w.value();
                // If the combined window holds a later record, that record created the right window of the newest
                // record before t already.
                if (combined.timestamp() < t) {
                    previous = combined.timestamp();
                }
            } else if (start <= t) {
                rightSeed = w.value();
                update(record, start, w.value(), closeTime);
            } else if (start == t + 1) {
                rightExists = true;
            } else {
                throw new IllegalStateException("Sliding window [" + start + ", " + (start + d) + "] of the store was "
                        + "found for an early record at " + t + ", outside the range fetched");
            }
        }
        // Without a right window that holds t, the later records (if any) are all in [0, d], and only after t.
        if (rightSeed == null && combined != null && combined.timestamp() > t) {
            rightSeed = combined;
        }
        if (!rightExists && rightSeed != null && rightSeed.timestamp() > t) {
            put(record, new TimeWindow(t + 1, t + 1 + d), rightSeed, null);
        }
        if (previous != null && !starts.contains(previous + 1)) {
            create(record, previous + 1, null, closeTime);
        }
        if (combined == null) {
            create(record, 0, null, closeTime);
        } else {
            update(record, 0, combined, closeTime);
        }
    }

    private void update(Record<K, V> record, long start, ValueAndTimestamp<VA> current, long closeTime) {
        if (start + d < closeTime) {
            skipClosed(start, start + d, record.timestamp(), closeTime);
            return;
        }
        fold(record, new TimeWindow(start, start + d), current);
    }

    /** A new window {@code [start, start + d]}: the record folded into {@code seed} (null: the first record). */
    private void create(Record<K, V> record, long start, VA seed, long closeTime) {
        if (start + d < closeTime) {
            skipClosed(start, start + d, record.timestamp(), closeTime);
            return;
        }
        VA next = step.apply(record.key(), record.value(), seed);
        put(record, new TimeWindow(start, start + d), ValueAndTimestamp.make(next, record.timestamp()), null);
    }
}
