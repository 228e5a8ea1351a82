package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.WindowStore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a stream-stream join, before the join itself (Kafka Streams' {@code KSTREAM-WINDOWED-} node): moves the
 * join's stream time, drops a record that arrives after its window closed (counted in the task's dropped records), and
 * keeps every other record in the side's window store, duplicates included, for the other side to find. Records with
 * a null key or value go on to the join untouched (it decides what they mean) and move no time.
 *
 * <p>A record at {@code t} is late once stream time passes {@code t + max(extent, 0) + grace}, where the extent is
 * how far ahead of it the other side's records may be ({@code after} on the left, {@code before} on the right).
 */
final class KStreamJoinWindow<K, V> implements Processor<K, V, K, V> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamJoinWindow.class);

    private final String name;
    private final String storeName;
    private final long lateAfterMs;
    private final JoinTimeTracker.Supplier trackers;
    private ProcessorContext<K, V> context;
    private WindowStore<K, V> store;
    private JoinTimeTracker time;

    /** @param lateAfterMs {@code max(extent, 0) + grace}: how far behind stream time a record may still be stored */
    KStreamJoinWindow(String name, String storeName, long lateAfterMs, JoinTimeTracker.Supplier trackers) {
        this.name = name;
        this.storeName = storeName;
        this.lateAfterMs = lateAfterMs;
        this.trackers = trackers;
    }

    @Override
    public void init(ProcessorContext<K, V> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.time = trackers.get(context);
        time.observe(store);
    }

    @Override
    public void process(Record<K, V> record) {
        if (record.key() == null || record.value() == null) {
            context.forward(record);
            return;
        }
        long timestamp = record.timestamp();
        time.advance(timestamp);
        if (time.streamTime() - timestamp > lateAfterMs) {
            LOG.debug(
                    "{} skipped a record that arrived after its join window closed: its timestamp {} is more than {} ms "
                            + "behind stream time {}",
                    name,
                    timestamp,
                    lateAfterMs,
                    time.streamTime());
            DroppedRecords.record(context);
            return;
        }
        store.put(record.key(), record.value(), timestamp);
        context.forward(record);
    }
}
