package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.KeyValueIterator;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * The right side of a foreign-key join, on a change of the right table: every left row subscribed to the changed key
 * (one prefix scan of the subscription store) is sent the new value, or none for a delete, with the hash its
 * subscription carried, as Kafka Streams' {@code ForeignTableJoinProcessorSupplier}. The answers are stamped with the
 * right record's timestamp. One instance per task, on the task of the right table's partition.
 */
final class ForeignTableJoinProcessor<KO, K, VO>
        implements Processor<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>> {
    private static final Serializer<byte[]> RAW = Serdes.ByteArray().serializer();

    private final String storeName;
    private final CombinedKeySchema<KO, K> keys;
    private ProcessorContext<K, SubscriptionResponseWrapper<VO>> context;
    private TimestampedKeyValueStore<byte[], SubscriptionWrapper<K>> store;

    ForeignTableJoinProcessor(String storeName, CombinedKeySchema<KO, K> keys) {
        this.storeName = storeName;
        this.keys = keys;
    }

    @Override
    public void init(ProcessorContext<K, SubscriptionResponseWrapper<VO>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        keys.init(context);
    }

    @Override
    public void process(Record<KO, Change<VO>> record) {
        if (record.key() == null) {
            return; // a table has no row without a key; its source skipped it already
        }
        VO value = record.value().newValue();
        try (KeyValueIterator<byte[], ValueAndTimestamp<SubscriptionWrapper<K>>> subscribers =
                store.prefixScan(keys.prefix(record.key()), RAW)) {
            while (subscribers.hasNext()) {
                KeyValue<byte[], ValueAndTimestamp<SubscriptionWrapper<K>>> next = subscribers.next();
                SubscriptionWrapper<K> subscription = next.value().value();
                context.forward(record.withKey(subscription.primaryKey())
                        .withValue(new SubscriptionResponseWrapper<>(
                                subscription.hash(), value, subscription.primaryPartition())));
            }
        }
    }
}
