package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.internals.SubscriptionWrapper.Instruction;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * The right side of a foreign-key join, first step, on the task of the subscription topic's partition (co-partitioned
 * with the right table): keeps each subscription in the subscription store under (foreign key, primary key), or
 * removes it for an unsubscription, then passes it on to be answered, as Kafka Streams'
 * {@code SubscriptionReceiveProcessorSupplier}. A subscription with a null key (a left row deleted or with a null
 * foreign key) is answered with no foreign value without being kept (nothing can match it later); any other
 * instruction without a foreign key is dropped. One instance per task.
 */
final class SubscriptionReceiveProcessor<KO, K>
        implements Processor<KO, SubscriptionWrapper<K>, KO, SubscriptionWrapper<K>> {
    private final String storeName;
    private final CombinedKeySchema<KO, K> keys;
    private final SubscriptionWrapperSerde<K> storeSerde;
    private ProcessorContext<KO, SubscriptionWrapper<K>> context;
    private TimestampedKeyValueStore<byte[], SubscriptionWrapper<K>> store;

    /** @param storeSerde the store's value serde, given the default key serde here if it has none yet */
    SubscriptionReceiveProcessor(
            String storeName, CombinedKeySchema<KO, K> keys, SubscriptionWrapperSerde<K> storeSerde) {
        this.storeName = storeName;
        this.keys = keys;
        this.storeSerde = storeSerde;
    }

    @Override
    public void init(ProcessorContext<KO, SubscriptionWrapper<K>> context) {
        this.context = context;
        this.store = context.getStateStore(storeName);
        keys.init(context);
        storeSerde.setIfUnset(context.keySerde());
    }

    @Override
    public void process(Record<KO, SubscriptionWrapper<K>> record) {
        SubscriptionWrapper<K> subscription = record.value();
        if (subscription == null) {
            DroppedRecords.record(context);
            return;
        }
        if (record.key() == null) {
            if (subscription.instruction() == Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE) {
                context.forward(record);
            } else {
                DroppedRecords.record(context);
            }
            return;
        }
        byte[] key = keys.toBytes(record.key(), subscription.primaryKey());
        if (subscription.instruction().unsubscribes()) {
            store.delete(key);
        } else {
            store.put(key, ValueAndTimestamp.make(subscription, record.timestamp()));
        }
        context.forward(record);
    }
}
