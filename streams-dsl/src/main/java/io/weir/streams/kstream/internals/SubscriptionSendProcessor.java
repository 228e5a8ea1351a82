package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.kstream.internals.SubscriptionWrapper.Instruction;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import java.util.Arrays;
import java.util.function.BiFunction;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The left side of a foreign-key join, first step: each change of a left row becomes subscriptions keyed by foreign
 * key, as Kafka Streams' {@code SubscriptionSendProcessorSupplier}. A row that moves to another foreign key
 * unsubscribes from the old one; each subscription carries the hash of the row's new value, so the response can be
 * matched to the value it was computed for. Foreign keys are compared by their serialized bytes, as Kafka does.
 *
 * <p>Inner join: a new row subscribes and is answered only if the foreign key exists; a row that changes is
 * answered either way (its old result must go); a deleted row, or one whose foreign key became null, unsubscribes and
 * is answered with a tombstone; a row with a null foreign key is otherwise dropped (counted, with a warning). (Kafka
 * 3.9 also drops a row whose foreign key became null, leaving its old result in place; Weir retracts it.) Left join:
 * every change is answered, and a null foreign key is sent with a null key, to be answered with no foreign value.
 * One instance per task, on its thread.
 */
final class SubscriptionSendProcessor<K, V, KO> implements Processor<K, Change<V>, KO, SubscriptionWrapper<K>> {
    private static final Logger LOG = LoggerFactory.getLogger(SubscriptionSendProcessor.class);

    private final String name;
    private final BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor;
    private final Serde<KO> foreignKeySerde;
    private final Serde<V> valueSerde;
    private final boolean leftJoin;
    /** The topic the serializers are told: the subscription topic, as the bytes compared are the bytes sent. */
    private final String topic;

    private ProcessorContext<KO, SubscriptionWrapper<K>> context;
    private Serializer<KO> foreignKeys;
    private Serializer<V> values;

    SubscriptionSendProcessor(
            String name,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            Serde<KO> foreignKeySerde,
            Serde<V> valueSerde,
            boolean leftJoin,
            String topic) {
        this.name = name;
        this.foreignKeyExtractor = foreignKeyExtractor;
        this.foreignKeySerde = foreignKeySerde;
        this.valueSerde = valueSerde;
        this.leftJoin = leftJoin;
        this.topic = topic;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<KO, SubscriptionWrapper<K>> context) {
        this.context = context;
        this.foreignKeys =
                (Serializer<KO>) (foreignKeySerde != null ? foreignKeySerde : context.keySerde()).serializer();
        this.values = ForeignKeyJoin.hashSerializer(valueSerde, context);
    }

    @Override
    public void process(Record<K, Change<V>> record) {
        if (record.key() == null) {
            return; // a table has no row without a key; its source skipped it already
        }
        V newValue = record.value().newValue();
        V oldValue = record.value().oldValue();
        long[] hash = newValue == null ? null : Murmur3.hash128(values.serialize(topic, newValue));
        KO newKey = newValue == null ? null : foreignKeyExtractor.apply(record.key(), newValue);
        KO oldKey = oldValue == null ? null : foreignKeyExtractor.apply(record.key(), oldValue);
        if (leftJoin) {
            if (oldValue != null && oldKey != null && !sameKey(newKey, oldKey)) {
                send(record, oldKey, hash, Instruction.DELETE_KEY_AND_PROPAGATE);
            }
            if (oldValue != null || newValue != null) {
                send(record, newKey, hash, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
            }
            return;
        }
        if (oldKey != null) {
            if (newKey == null) {
                // Deleted, or its foreign key became null: unsubscribe and retract the row's result.
                send(record, oldKey, hash, Instruction.DELETE_KEY_AND_PROPAGATE);
                return;
            }
            if (!sameKey(newKey, oldKey)) {
                send(record, oldKey, hash, Instruction.DELETE_KEY_NO_PROPAGATE);
            }
            // A changed row is answered even without a foreign value: its earlier result must be retracted.
            send(record, newKey, hash, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
        } else if (newKey != null) {
            // A new row, or one whose foreign key was null and so had no result: only a match makes one.
            send(record, newKey, hash, Instruction.PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE);
        } else if (newValue != null) {
            dropNullForeignKey(record);
        }
    }

    private boolean sameKey(KO a, KO b) {
        if (a == null || b == null) {
            return a == b;
        }
        return Arrays.equals(foreignKeys.serialize(topic, a), foreignKeys.serialize(topic, b));
    }

    private void send(Record<K, Change<V>> record, KO foreignKey, long[] hash, Instruction instruction) {
        SubscriptionWrapper<K> subscription = new SubscriptionWrapper<>(
                hash, instruction, record.key(), context.taskId().partition());
        context.forward(record.withKey(foreignKey).withValue(subscription));
    }

    private void dropNullForeignKey(Record<K, Change<V>> record) {
        LOG.warn(
                "{} skipped the row {} of an inner foreign-key join: its foreign key is null ({})",
                name,
                record.key(),
                context.recordMetadata()
                        .map(m -> "offset " + m.offset() + " of " + m.topic() + "-" + m.partition())
                        .orElse("from a cache flush or punctuation"));
        DroppedRecords.record(context);
    }
}
