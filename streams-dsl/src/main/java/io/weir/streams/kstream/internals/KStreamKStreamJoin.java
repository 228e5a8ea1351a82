package io.weir.streams.kstream.internals;

import io.weir.streams.KeyValue;
import io.weir.streams.kstream.ValueJoinerWithKey;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.WindowStore;
import io.weir.streams.state.WindowStoreIterator;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One side of a stream-stream join (Kafka Streams' {@code KStreamKStreamJoin}, after the KAFKA-10847 fix): each record,
 * already in its own side's window store, is joined with the other side's records of its key within its window, and
 * on a left or outer side a record that found none waits in the shared outer-join store until its window closes.
 *
 * <p>The rules, with {@code T} the join's stream time (see {@link JoinTimeTracker}) and a record's window closed once
 * {@code T > t + extent + grace} (extent: {@code after} for the left side, {@code before} for the right):
 * <ul>
 *   <li>a pair is emitted when the later of its records arrives, with the larger timestamp; a record of an outer side
 *       whose window has closed is joined no more, since its non-joined result is due (so no record is ever both
 *       joined and emitted alone);
 *   <li>a record of an outer side that found no partner waits in the outer-join store, and any later partner takes it
 *       out; what is still there when its window closes is emitted joined with null, oldest first, before the record
 *       that moved stream time past it is joined;
 *   <li>a record with a null value is dropped and counted; so is one with a null key, except on an outer side, where
 *       it is joined with null at once (Kafka Streams 3.7's rule).
 * </ul>
 *
 * <p>Used on its task's thread only, as every processor.
 */
final class KStreamKStreamJoin<K, VThis, VOther, VOut> implements Processor<K, VThis, K, VOut> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamKStreamJoin.class);

    /**
     * What both sides of one join share: the joiner (left value first), the windows, which sides are outer, the stores
     * and the stream-time trackers.
     */
    record Spec(
            ValueJoinerWithKey<Object, Object, Object, Object> joiner,
            long beforeMs,
            long afterMs,
            long graceMs,
            boolean leftOuter,
            boolean rightOuter,
            String leftStoreName,
            String rightStoreName,
            String outerStoreName,
            JoinTimeTracker.Supplier trackers) {

        /** How far behind stream time a record of a side with this extent may be before its window is closed. */
        long closeAfter(long extent) {
            return saturatedAdd(extent, graceMs);
        }

        static long saturatedAdd(long a, long b) {
            long sum = a + b;
            return ((a ^ sum) & (b ^ sum)) < 0 ? (a > 0 ? Long.MAX_VALUE : Long.MIN_VALUE) : sum;
        }
    }

    private final String name;
    private final Spec spec;
    private final boolean left;
    private final long joinBefore;
    private final long joinAfter;
    private final boolean thisOuter;
    private final boolean otherOuter;
    private final long thisCloseAfter;
    private final long otherCloseAfter;
    /** Past this lag behind stream time, no entry of the outer-join store is still open. */
    private final long anyCloseAfter;

    private ProcessorContext<K, VOut> context;
    private WindowStore<K, VOther> otherStore;
    private KeyValueStore<OuterJoinStore.Key<K>, OuterJoinStore.Values> outerStore;
    private JoinTimeTracker time;

    KStreamKStreamJoin(String name, Spec spec, boolean left) {
        this.name = name;
        this.spec = spec;
        this.left = left;
        this.joinBefore = left ? spec.beforeMs() : spec.afterMs();
        this.joinAfter = left ? spec.afterMs() : spec.beforeMs();
        this.thisOuter = left ? spec.leftOuter() : spec.rightOuter();
        this.otherOuter = left ? spec.rightOuter() : spec.leftOuter();
        this.thisCloseAfter = spec.closeAfter(joinAfter);
        this.otherCloseAfter = spec.closeAfter(joinBefore);
        this.anyCloseAfter = spec.closeAfter(Math.min(spec.beforeMs(), spec.afterMs()));
    }

    @Override
    public void init(ProcessorContext<K, VOut> context) {
        this.context = context;
        this.otherStore = context.getStateStore(left ? spec.rightStoreName() : spec.leftStoreName());
        if (spec.outerStoreName() != null) {
            this.outerStore = context.getStateStore(spec.outerStoreName());
        }
        this.time = spec.trackers().get(context);
        time.observe(otherStore);
    }

    @SuppressWarnings("unchecked")
    private VOut joined(K key, Object thisValue, Object otherValue) {
        return (VOut)
                (left
                        ? spec.joiner().apply(key, thisValue, otherValue)
                        : spec.joiner().apply(key, otherValue, thisValue));
    }

    private boolean closed(long timestamp, long closeAfter) {
        return time.streamTime() - timestamp > closeAfter;
    }

    @Override
    public void process(Record<K, VThis> record) {
        if (record.value() == null || (record.key() == null && !thisOuter)) {
            LOG.warn("{} skipped a record with a null {}", name, record.value() == null ? "value" : "key");
            DroppedRecords.record(context);
            return;
        }
        if (record.key() == null) {
            context.forward(record.withValue(joined(null, record.value(), null)));
            return;
        }
        long timestamp = record.timestamp();
        if (outerStore != null && timestamp >= time.streamTime()) {
            emitClosed(record);
        }
        boolean matched = false;
        try (WindowStoreIterator<VOther> others =
                otherStore.fetch(record.key(), timestamp - joinBefore, timestamp + joinAfter)) {
            while (others.hasNext()) {
                KeyValue<Long, VOther> other = others.next();
                long otherTime = other.key();
                if (otherOuter && closed(otherTime, otherCloseAfter)) {
                    continue;
                }
                matched = true;
                if (otherOuter) {
                    outerStore.delete(new OuterJoinStore.Key<>(otherTime, !left, record.key()));
                }
                context.forward(record.withValue(joined(record.key(), record.value(), other.value()))
                        .withTimestamp(Math.max(timestamp, otherTime)));
            }
        }
        if (!matched && thisOuter) {
            if (closed(timestamp, thisCloseAfter)) {
                // Only where the extent is negative: the window ended before the record's own time.
                context.forward(record.withValue(joined(record.key(), record.value(), null)));
            } else {
                OuterJoinStore.Key<K> key = new OuterJoinStore.Key<>(timestamp, left, record.key());
                OuterJoinStore.Values waiting = outerStore.get(key);
                outerStore.put(
                        key,
                        waiting == null
                                ? new OuterJoinStore.Values(left, List.of(record.value()))
                                : waiting.append(record.value()));
                time.waiting(timestamp);
            }
        }
    }

    /** Emits, oldest first, the records of the outer-join store whose windows have closed, and forgets them. */
    private void emitClosed(Record<K, VThis> record) {
        long min = time.minOuterTime();
        if (min == Long.MAX_VALUE || (min != JoinTimeTracker.UNKNOWN && !closed(min, anyCloseAfter))) {
            return;
        }
        List<OuterJoinStore.Key<K>> emitted = new ArrayList<>();
        long stillWaiting = Long.MAX_VALUE;
        try (KeyValueIterator<OuterJoinStore.Key<K>, OuterJoinStore.Values> it = outerStore.all()) {
            while (it.hasNext()) {
                KeyValue<OuterJoinStore.Key<K>, OuterJoinStore.Values> entry = it.next();
                OuterJoinStore.Key<K> key = entry.key();
                if (!closed(key.timestamp(), anyCloseAfter)) {
                    stillWaiting = Math.min(stillWaiting, key.timestamp());
                    break;
                }
                long closeAfter = spec.closeAfter(key.leftSide() ? spec.afterMs() : spec.beforeMs());
                if (!closed(key.timestamp(), closeAfter)) {
                    stillWaiting = Math.min(stillWaiting, key.timestamp());
                    continue;
                }
                for (Object value : entry.value().values()) {
                    @SuppressWarnings("unchecked")
                    VOut out = (VOut)
                            (key.leftSide()
                                    ? spec.joiner().apply(key.key(), value, null)
                                    : spec.joiner().apply(key.key(), null, value));
                    context.forward(record.withKey(key.key()).withValue(out).withTimestamp(key.timestamp()));
                }
                emitted.add(key);
            }
        }
        emitted.forEach(outerStore::delete);
        time.minOuterTime(stillWaiting);
    }
}
