package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.KeyValueMapper;
import io.weir.streams.kstream.ValueJoinerWithKey;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.DroppedRecords;
import io.weir.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins each stream record with a global table's value of the key {@code keySelector} picks, looked up in this
 * instance's copy of the table (its last commit by the global stream thread) when the record is processed. Kafka
 * Streams' {@code KStreamKTableJoinProcessor} rules: a record with a null value, or whose selected key is null, is
 * dropped and counted in the task's dropped records — except, in a left join, a record with a null key and a value,
 * which joins (null if its selected key is null). An inner join drops a record the table has no row for; a left join
 * joins it with null. Used by its task's thread only.
 */
final class KStreamGlobalKTableJoin<K, V, GK, GV, VR> implements Processor<K, V, K, VR> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamGlobalKTableJoin.class);

    private final String name;
    private final KTableValueGetter<GK, GV> table;
    private final KeyValueMapper<? super K, ? super V, ? extends GK> keySelector;
    private final ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends VR> joiner;
    private final boolean leftJoin;
    private ProcessorContext<K, VR> context;

    KStreamGlobalKTableJoin(
            String name,
            KTableValueGetter<GK, GV> table,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends VR> joiner,
            boolean leftJoin) {
        this.name = name;
        this.table = table;
        this.keySelector = keySelector;
        this.joiner = joiner;
        this.leftJoin = leftJoin;
    }

    @Override
    public void init(ProcessorContext<K, VR> context) {
        this.context = context;
        table.init(context);
    }

    @Override
    public void process(Record<K, V> record) {
        // The selector never sees a null value: such a record is dropped whatever key it would select.
        GK selected = record.value() == null ? null : keySelector.apply(record.key(), record.value());
        boolean nullKeyLeftJoin = leftJoin && record.key() == null && record.value() != null;
        if (!nullKeyLeftJoin && (selected == null || record.value() == null)) {
            LOG.warn(
                    "{} skipped a record with a null {}", name, record.value() == null ? "value" : "selected join key");
            DroppedRecords.record(context);
            return;
        }
        GV other = selected == null ? null : ValueAndTimestamp.getValueOrNull(table.get(selected));
        if (other == null && !leftJoin) {
            return;
        }
        context.forward(record.withValue(joiner.apply(record.key(), record.value(), other)));
    }
}
