package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.CacheForwarding;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.CachedStore;
import java.util.function.Consumer;

/** How a table-producing processor forwards the changes its caching store flushes. */
final class TableForwarding {
    private TableForwarding() {}

    /**
     * Makes {@code store}'s cache forward each flushed change to the children of the processor {@code context} is
     * initialising, as a {@code Change(new, old)} stamped with the new value's timestamp (the old one's for a
     * delete). {@code store} holds values with timestamps: a table's key-value store or a windowed aggregation's
     * window store (then {@code K} is the {@code Windowed} key).
     *
     * @return whether the cache forwards; if not (no cache), the processor must forward each update itself
     */
    @SuppressWarnings("unchecked")
    static <K, V> boolean onFlush(Object store, ProcessorContext<K, Change<V>> context) {
        if (!(store instanceof CachedStore<?, ?> cached)) {
            return false;
        }
        Consumer<Record<K, Change<V>>> forward = CacheForwarding.boundToCurrentNode(context);
        return ((CachedStore<K, ValueAndTimestamp<V>>) cached).setFlushListener((key, now, before) -> {
            V newValue = ValueAndTimestamp.getValueOrNull(now);
            V oldValue = ValueAndTimestamp.getValueOrNull(before);
            long timestamp = now != null ? now.timestamp() : before != null ? before.timestamp() : 0L;
            forward.accept(new Record<>(key, new Change<>(newValue, oldValue), timestamp));
        });
    }

    /**
     * As {@link #onFlush} for a session store, whose values carry no timestamp: each change is stamped with its
     * session's end, as Kafka Streams stamps session aggregates.
     */
    @SuppressWarnings("unchecked")
    static <K, V> boolean onSessionFlush(Object store, ProcessorContext<Windowed<K>, Change<V>> context) {
        if (!(store instanceof CachedStore<?, ?> cached)) {
            return false;
        }
        Consumer<Record<Windowed<K>, Change<V>>> forward = CacheForwarding.boundToCurrentNode(context);
        return ((CachedStore<Windowed<K>, V>) cached)
                .setFlushListener((key, now, before) -> forward.accept(new Record<>(
                        key, new Change<>(now, before), key.window().end())));
    }
}
