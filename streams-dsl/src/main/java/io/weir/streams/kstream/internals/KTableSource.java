package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a stream of updates as a table: each record becomes its key's value in the store (a null value deletes it)
 * and is forwarded as a change with the value it replaced — by the store's cache when it writes the change down (at
 * each commit, or on eviction), as Kafka Streams' caching stores do, or at once without a cache. A record with a
 * null key belongs to no row and is skipped, with a warning. A table that {@code skipsAbsentDeletes} (a
 * foreign-key join's result, whose inner join answers a row without a match with a null) also skips a null value for
 * a key it does not hold, so no tombstone is forwarded for a key that never had a row.
 */
final class KTableSource<K, V> implements Processor<K, V, K, Change<V>> {
    private static final Logger LOG = LoggerFactory.getLogger(KTableSource.class);

    private final String name;
    private final String storeName;
    private ProcessorContext<K, Change<V>> context;
    private TimestampedKeyValueStore<K, V> store;
    private final boolean skipsAbsentDeletes;
    private boolean forwardsOnFlush;

    KTableSource(String name, String storeName) {
        this(name, storeName, false);
    }

    KTableSource(String name, String storeName, boolean skipsAbsentDeletes) {
        this.name = name;
        this.storeName = storeName;
        this.skipsAbsentDeletes = skipsAbsentDeletes;
    }

    @Override
    public void init(ProcessorContext<K, Change<V>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onFlush(store, context);
    }

    @Override
    public void process(Record<K, V> record) {
        if (record.key() == null) {
            LOG.warn(
                    "{} skipped a record with a null key ({})",
                    name,
                    context.recordMetadata()
                            .map(m -> "offset " + m.offset() + " of " + m.topic() + "-" + m.partition())
                            .orElse("punctuation"));
            return;
        }
        V old = ValueAndTimestamp.getValueOrNull(store.get(record.key()));
        if (skipsAbsentDeletes && old == null && record.value() == null) {
            return;
        }
        if (record.value() == null) {
            store.delete(record.key());
        } else {
            store.put(record.key(), ValueAndTimestamp.make(record.value(), record.timestamp()));
        }
        if (!forwardsOnFlush) {
            context.forward(record.withValue(new Change<>(record.value(), old)));
        }
    }
}
