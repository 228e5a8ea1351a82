package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * The right side of a foreign-key join, answering a subscription: looks the foreign key up in the right table and
 * sends the left row its value (or none), keyed by the left row's key, as the subscription's instruction says (see
 * {@link SubscriptionWrapper.Instruction}), as Kafka Streams' {@code SubscriptionJoinProcessorSupplier}. The answer
 * carries the subscription's hash, and its timestamp is the newer of the subscription's and the right value's. One
 * instance per task.
 */
final class SubscriptionJoinProcessor<KO, K, VO>
        implements Processor<KO, SubscriptionWrapper<K>, K, SubscriptionResponseWrapper<VO>> {
    private final KTableValueGetter<KO, VO> foreignValues;
    private ProcessorContext<K, SubscriptionResponseWrapper<VO>> context;

    SubscriptionJoinProcessor(KTableValueGetter<KO, VO> foreignValues) {
        this.foreignValues = foreignValues;
    }

    @Override
    public void init(ProcessorContext<K, SubscriptionResponseWrapper<VO>> context) {
        this.context = context;
        foreignValues.init(context);
    }

    @Override
    public void process(Record<KO, SubscriptionWrapper<K>> record) {
        SubscriptionWrapper<K> subscription = record.value();
        ValueAndTimestamp<VO> found = record.key() == null ? null : foreignValues.get(record.key());
        VO foreignValue = ValueAndTimestamp.getValueOrNull(found);
        switch (subscription.instruction()) {
            case DELETE_KEY_NO_PROPAGATE -> {
                return;
            }
            case DELETE_KEY_AND_PROPAGATE -> foreignValue = null;
            case PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE -> {
                if (found == null) {
                    return;
                }
            }
            case PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE -> {}
        }
        long timestamp = found == null ? record.timestamp() : Math.max(record.timestamp(), found.timestamp());
        context.forward(new Record<>(
                subscription.primaryKey(),
                new SubscriptionResponseWrapper<>(subscription.hash(), foreignValue, subscription.primaryPartition()),
                timestamp,
                record.headers()));
    }
}
