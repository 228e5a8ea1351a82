package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.ValueAndTimestamp;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Joins each stream record with the table's value of its key when the record is processed. An inner join drops a
 * record the table has no row for; a left join joins it with null. A record with a null value is dropped; one with a
 * null key too, except in a left join, where it meets null (Kafka Streams 3.7's rule).
 */
final class KStreamKTableJoin<K, V, VT, VR> implements Processor<K, V, K, VR> {
    private static final Logger LOG = LoggerFactory.getLogger(KStreamKTableJoin.class);

    private final String name;
    private final KTableValueGetter<K, VT> table;
    private final ValueJoiner<? super V, ? super VT, ? extends VR> joiner;
    private final boolean leftJoin;
    private ProcessorContext<K, VR> context;

    KStreamKTableJoin(
            String name,
            KTableValueGetter<K, VT> table,
            ValueJoiner<? super V, ? super VT, ? extends VR> joiner,
            boolean leftJoin) {
        this.name = name;
        this.table = table;
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
        if (record.value() == null || (record.key() == null && !leftJoin)) {
            LOG.warn("{} skipped a record with a null {}", name, record.value() == null ? "value" : "key");
            return;
        }
        VT other = record.key() == null ? null : ValueAndTimestamp.getValueOrNull(table.get(record.key()));
        if (other == null && !leftJoin) {
            return;
        }
        context.forward(record.withValue(joiner.apply(record.value(), other)));
    }
}
