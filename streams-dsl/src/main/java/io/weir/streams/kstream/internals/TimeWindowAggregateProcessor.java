package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.TimeWindow;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the two time-window aggregations ({@link KStreamWindowAggregate} for {@code TimeWindows},
 * {@link KStreamSlidingWindowAggregate} for {@code SlidingWindows}) share, as Kafka Streams'
 * {@code AbstractKStreamTimeWindowAggregateProcessor}: the window store, the processor's own stream time (the newest
 * record timestamp it has seen; not recovered after a restart, as in Kafka), skipping records with a null key or value,
 * counting each closed window a record could not update, and forwarding each update.
 *
 * <p>Forwarding as {@link KStreamAggregate}: with a caching store, at each flush, one update per window per commit;
 * without, every update with the window's previous aggregate (null for a new window) as the old value. Used by the
 * task's thread only.
 */
abstract class TimeWindowAggregateProcessor<K, V, VA> implements Processor<K, V, Windowed<K>, Change<VA>> {
    private static final Logger LOG = LoggerFactory.getLogger(TimeWindowAggregateProcessor.class);

    private final String name;
    private final String storeName;
    protected final KStreamAggregate.Step<K, V, VA> step;
    protected ProcessorContext<Windowed<K>, Change<VA>> context;
    protected TimestampedWindowStore<K, VA> store;
    private boolean forwardsOnFlush;
    protected long observedStreamTime = -1L;

    TimeWindowAggregateProcessor(String name, String storeName, KStreamAggregate.Step<K, V, VA> step) {
        this.name = name;
        this.storeName = storeName;
        this.step = step;
    }

    @Override
    public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onFlush(store, context);
    }

    /**
     * Counts a record with a null key or value as dropped and answers false; otherwise moves stream time to the
     * record's timestamp and answers true.
     */
    protected final boolean accept(Record<K, V> record) {
        if (record.key() == null || record.value() == null) {
            LOG.warn("{} skipped a record with a null {}", name, record.key() == null ? "key" : "value");
            DroppedRecords.record(context);
            return false;
        }
        observedStreamTime = Math.max(observedStreamTime, record.timestamp());
        return true;
    }

    /** Logs and counts a record that could not update the closed window {@code [start, end]}. */
    protected final void skipClosed(long start, long end, long timestamp, long closeTime) {
        LOG.debug(
                "{} skipped a record for the closed window [{}, {}]: its timestamp {} is too old for the close time {}"
                        + " (stream time {} minus the grace)",
                name,
                start,
                end,
                timestamp,
                closeTime,
                observedStreamTime);
        DroppedRecords.record(context);
    }

    /**
     * Folds {@code record} into the window starting at {@code start} whose current aggregate is {@code previous}
     * (null: a new window), stores it and forwards the change. The aggregate's timestamp is the newest of its records.
     */
    protected final void fold(Record<K, V> record, TimeWindow window, ValueAndTimestamp<VA> previous) {
        VA old = ValueAndTimestamp.getValueOrNull(previous);
        VA next = step.apply(record.key(), record.value(), old);
        long timestamp = previous == null ? record.timestamp() : Math.max(record.timestamp(), previous.timestamp());
        put(record, window, ValueAndTimestamp.make(next, timestamp), old);
    }

    /** Stores {@code value} as the window's aggregate and forwards it, with {@code old} as the old value. */
    protected final void put(Record<K, V> record, TimeWindow window, ValueAndTimestamp<VA> value, VA old) {
        store.put(record.key(), value, window.start());
        if (!forwardsOnFlush) {
            context.forward(new Record<>(
                    new Windowed<>(record.key(), window),
                    new Change<>(value.value(), old),
                    value.timestamp(),
                    record.headers()));
        }
    }
}
