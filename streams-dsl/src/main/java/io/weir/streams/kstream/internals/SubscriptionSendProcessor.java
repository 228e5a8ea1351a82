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
 * key, as Kafka Streams' {@code SubscriptionSendProcessorSupplier}. Foreign keys are compared by their serialized
 * bytes, as Kafka does.
 *
 * <p>Invariant, for inner and left joins alike: every change of a left row is answered exactly once, by the answer
 * carrying the hash of the row's new value (null for a delete). A row that moves to another foreign key unsubscribes
 * from the old one with {@code DELETE_KEY_NO_PROPAGATE} (no answer); the new key, or a null key for a delete or a
 * null foreign key, is sent {@code PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE} and answered with the foreign value or
 * none. So the last answer to match the row's current value is always the one for that value, whatever order the
 * answers from different tasks arrive in: a stale answer is dropped and a newer one always follows. An inner join's
 * answer without a foreign value retracts the row's result (or makes none, which the result table does not forward).
 * An inner join's row with a null foreign key has no result and is also counted as dropped, with a warning. (Kafka
 * sends an inner join's new row {@code PROPAGATE_ONLY_IF_FK_VAL_AVAILABLE} and nothing for a null foreign key, which
 * can leave a retraction dropped as stale with nothing after it.) One instance per task, on its thread.
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
        if (oldValue == null && newValue == null) {
            return; // no row before or after: nothing to subscribe, nothing to answer
        }
        if (oldKey != null && !sameKey(newKey, oldKey)) {
            // Unsubscribe without an answer: the row's one answer is the new key's, with the new hash. (An answer
            // from the old key too would carry the same hash, from another task, in any order: KAFKA-16394.)
            send(record, oldKey, hash, Instruction.DELETE_KEY_NO_PROPAGATE);
        }
        if (newKey == null && newValue != null && !leftJoin) {
            dropNullForeignKey(record);
        }
        // Every change is answered once, with its own hash, even without a foreign value (a null foreign key or a
        // delete goes with a null key, answered with none): the answer of an earlier value is then always replaced
        // by a newer one, never left as the last one to be dropped as stale.
        send(record, newKey, hash, Instruction.PROPAGATE_NULL_IF_NO_FK_VAL_AVAILABLE);
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
