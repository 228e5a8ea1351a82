package io.weir.streams.kstream.internals;

import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * Keeps a regrouped table's aggregates, as Kafka Streams' {@code KTableAggregate} and {@code KTableReduce}: each
 * {@link Change} read from the repartition topic first subtracts its old value from the key's aggregate (if both
 * exist), then adds its new value, and the result is stored and forwarded with the aggregate it replaced. A key's
 * aggregate stays after its last row leaves, as Kafka's does; it is deleted only if the steps give null. The
 * aggregate's timestamp is the newest of the records it reflects.
 */
final class KTableAggregate<K, V, VA> implements Processor<K, Change<V>, K, Change<VA>> {

    /** Takes a value out of an aggregate (never null). */
    interface Subtract<K, V, VA> {
        VA apply(K key, V value, VA aggregate);
    }

    /** Puts a value into an aggregate, which is null when the key has none (Kafka's initializer or first value). */
    interface Add<K, V, VA> {
        VA apply(K key, V value, VA aggregateOrNull);
    }

    /** Whether the store's cache forwards the changes at its flushes (see {@link KStreamAggregate}). */
    private boolean forwardsOnFlush;

    private final String storeName;
    private final Subtract<K, V, VA> subtract;
    private final Add<K, V, VA> add;
    private ProcessorContext<K, Change<VA>> context;
    private TimestampedKeyValueStore<K, VA> store;

    KTableAggregate(String storeName, Subtract<K, V, VA> subtract, Add<K, V, VA> add) {
        this.storeName = storeName;
        this.subtract = subtract;
        this.add = add;
    }

    @Override
    public void init(ProcessorContext<K, Change<VA>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        this.forwardsOnFlush = TableForwarding.onFlush(store, context);
    }

    @Override
    public void process(Record<K, Change<V>> record) {
        if (record.key() == null) {
            // The regrouping drops null keys before the repartition topic, so only a foreign writer gets here.
            throw new StreamsException("The aggregate kept in " + storeName + " read a record with a null key");
        }
        ValueAndTimestamp<VA> previous = store.get(record.key());
        VA old = ValueAndTimestamp.getValueOrNull(previous);
        VA next = old;
        if (record.value().oldValue() != null && old != null) {
            next = subtract.apply(record.key(), record.value().oldValue(), old);
        }
        if (record.value().newValue() != null) {
            next = add.apply(record.key(), record.value().newValue(), next);
        }
        long timestamp = previous == null ? record.timestamp() : Math.max(record.timestamp(), previous.timestamp());
        store.put(record.key(), ValueAndTimestamp.make(next, timestamp));
        if (!forwardsOnFlush) {
            context.forward(record.withValue(new Change<>(next, old)).withTimestamp(timestamp));
        }
    }
}
