package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Window;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.kstream.Windows;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.TimestampedWindowStore;
import io.weir.streams.state.ValueAndTimestamp;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each record into every time window it falls in, as Kafka Streams' {@code KStreamWindowAggregate}. The
 * processor keeps its own stream time (the newest record timestamp it has seen); a window is closed once that time
 * reaches its end plus the grace period, and a record for a closed window is dropped for that window and counted. An
 * aggregate's timestamp is the newest of the records it reflects.
 *
 * <p>Forwarding as {@link KStreamAggregate}: with a caching store, at each flush, one update per window per commit;
 * without, every update with the window's previous aggregate as the old value.
 */
final class KStreamWindowAggregate<K, V, VA, W extends Window> implements Processor<K, V, Windowed<K>, Change<VA>> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamWindowAggregate.class);

    private final String name;
    private final String storeName;
    private final Windows<W> windows;
    private final KStreamAggregate.Step<K, V, VA> step;
    private ProcessorContext<Windowed<K>, Change<VA>> context;
    private TimestampedWindowStore<K, VA> store;
    private boolean forwardsOnFlush;
    private long observedStreamTime = -1L;

    KStreamWindowAggregate(String name, String storeName, Windows<W> windows, KStreamAggregate.Step<K, V, VA> step) {
        this.name = name;
        this.storeName = storeName;
        this.windows = windows;
        this.step = step;
    }

    @Override
    public void init(ProcessorContext<Windowed<K>, Change<VA>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onFlush(store, context);
    }

    @Override
    public void process(Record<K, V> record) {
        if (record.key() == null || record.value() == null) {
            LOG.warn("{} skipped a record with a null {}", name, record.key() == null ? "key" : "value");
            DroppedRecords.record(context);
            return;
        }
        long timestamp = record.timestamp();
        observedStreamTime = Math.max(observedStreamTime, timestamp);
        long closeTime = observedStreamTime - windows.gracePeriodMs();
        for (Map.Entry<Long, W> entry : windows.windowsFor(timestamp).entrySet()) {
            W window = entry.getValue();
            if (window.end() <= closeTime) {
                LOG.debug(
                        "{} skipped a record for the closed window [{}, {}): its timestamp {} is older than "
                                + "stream time {} minus the grace {}",
                        name,
                        window.start(),
                        window.end(),
                        timestamp,
                        observedStreamTime,
                        windows.gracePeriodMs());
                DroppedRecords.record(context);
                continue;
            }
            ValueAndTimestamp<VA> previous = store.fetch(record.key(), window.start());
            VA old = ValueAndTimestamp.getValueOrNull(previous);
            VA next = step.apply(record.key(), record.value(), old);
            long newTimestamp = previous == null ? timestamp : Math.max(timestamp, previous.timestamp());
            store.put(record.key(), ValueAndTimestamp.make(next, newTimestamp), window.start());
            if (!forwardsOnFlush) {
                context.forward(new Record<>(
                        new Windowed<>(record.key(), window), new Change<>(next, old), newTimestamp, record.headers()));
            }
        }
    }
}
