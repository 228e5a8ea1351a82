package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Folds each record into its key's aggregate in the operator's store and forwards the change. A record with a null
 * key or value has no aggregate to join and is skipped, with a warning, as Kafka Streams does. The aggregate's
 * timestamp is the newest of the records it reflects.
 *
 * <p>With a caching store (the default), the changes are forwarded when the cache writes them down — at each commit,
 * or when it evicts a key — so downstream sees one update per key per commit, with the value before it as the old
 * one, as Kafka Streams' caching stores forward; without a cache, every update is forwarded as it happens.
 */
final class KStreamAggregate<K, V, VA> implements Processor<K, V, K, Change<VA>> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamAggregate.class);

    /** The next aggregate from the previous one (null for a key seen the first time) and a value. */
    interface Step<K, V, VA> {
        VA apply(K key, V value, VA previous);
    }

    private final String name;
    private final String storeName;
    private final Step<K, V, VA> step;
    private ProcessorContext<K, Change<VA>> context;
    private TimestampedKeyValueStore<K, VA> store;
    private boolean forwardsOnFlush;

    KStreamAggregate(String name, String storeName, Step<K, V, VA> step) {
        this.name = name;
        this.storeName = storeName;
        this.step = step;
    }

    @Override
    public void init(ProcessorContext<K, Change<VA>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onFlush(store, context);
    }

    @Override
    public void process(Record<K, V> record) {
        if (record.key() == null || record.value() == null) {
            LOG.warn(
                    "{} skipped a record with a null {} ({})",
                    name,
                    record.key() == null ? "key" : "value",
                    context.recordMetadata()
                            .map(m -> "offset " + m.offset() + " of " + m.topic() + "-" + m.partition())
                            .orElse("punctuation"));
            return;
        }
        ValueAndTimestamp<VA> previous = store.get(record.key());
        VA old = ValueAndTimestamp.getValueOrNull(previous);
        VA next = step.apply(record.key(), record.value(), old);
        long timestamp = previous == null ? record.timestamp() : Math.max(record.timestamp(), previous.timestamp());
        store.put(record.key(), ValueAndTimestamp.make(next, timestamp));
        if (!forwardsOnFlush) {
            context.forward(record.withValue(new Change<>(next, old)).withTimestamp(timestamp));
        }
    }
}
