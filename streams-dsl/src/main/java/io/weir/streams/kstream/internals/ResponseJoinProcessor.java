package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.ValueAndTimestamp;
import java.util.Arrays;

/**
 * The left side of a foreign-key join, last step, as Kafka Streams' {@code ResponseJoinProcessorSupplier}: an answer
 * is joined with the left row's current value only if it was computed for that value — the hash it carries is the
 * current value's (both null for a deleted row). Any other answer is stale: the row changed (or moved to another
 * foreign key) after the subscription it answers was sent, and a newer answer is on its way; it is dropped and
 * counted. This is what keeps the join right when answers from different foreign keys' partitions arrive out of
 * order. A matching answer without a foreign value is a tombstone, except in a left join while the row exists.
 * One instance per task, on the task of the left row's partition.
 */
final class ResponseJoinProcessor<K, V, VO, VR> implements Processor<K, SubscriptionResponseWrapper<VO>, K, VR> {
    private final KTableValueGetter<K, V> leftValues;
    private final Serde<V> valueSerde;
    private final ValueJoiner<? super V, ? super VO, ? extends VR> joiner;
    private final boolean leftJoin;
    /** The topic the value serializer is told, the one {@link SubscriptionSendProcessor} hashed with. */
    private final String topic;

    private ProcessorContext<K, VR> context;
    private Serializer<V> values;

    ResponseJoinProcessor(
            KTableValueGetter<K, V> leftValues,
            Serde<V> valueSerde,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            boolean leftJoin,
            String topic) {
        this.leftValues = leftValues;
        this.valueSerde = valueSerde;
        this.joiner = joiner;
        this.leftJoin = leftJoin;
        this.topic = topic;
    }

    @Override
    public void init(ProcessorContext<K, VR> context) {
        this.context = context;
        leftValues.init(context);
        this.values = ForeignKeyJoin.hashSerializer(valueSerde, context);
    }

    @Override
    public void process(Record<K, SubscriptionResponseWrapper<VO>> record) {
        ValueAndTimestamp<V> current = leftValues.get(record.key());
        V value = ValueAndTimestamp.getValueOrNull(current);
        long[] currentHash = value == null ? null : Murmur3.hash128(values.serialize(topic, value));
        if (!Arrays.equals(record.value().originalValueHash(), currentHash)) {
            DroppedRecords.record(context);
            return;
        }
        VO foreignValue = record.value().foreignValue();
        VR result = value == null || (foreignValue == null && !leftJoin) ? null : joiner.apply(value, foreignValue);
        context.forward(record.withValue(result));
    }
}
