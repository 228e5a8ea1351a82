package io.weir.streams.kstream.internals;

import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.ValueAndTimestamp;

/**
 * One side of a table-table join: a change of this side's value of a key is joined with the other side's current
 * value, old and new alike, so the joined table's change carries its old value too. Which pairs join depends on
 * the kind (inner: both present; left: the left present; outer: either). The result's timestamp is the newer of
 * the two sides'.
 */
final class KTableKTableJoin<K, V1, V2, VR> implements Processor<K, Change<V1>, K, Change<VR>> {

    /** Which pairs of values make a row. */
    enum Kind {
        INNER,
        LEFT,
        OUTER;

        boolean joins(Object left, Object right) {
            return switch (this) {
                case INNER -> left != null && right != null;
                case LEFT -> left != null;
                case OUTER -> left != null || right != null;
            };
        }
    }

    private final KTableValueGetter<K, V2> other;
    private final Kind kind;
    private final boolean thisIsLeft;
    private final ValueJoiner<Object, Object, ? extends VR> joiner;
    private ProcessorContext<K, Change<VR>> context;

    @SuppressWarnings("unchecked")
    KTableKTableJoin(
            KTableValueGetter<K, V2> other, Kind kind, boolean thisIsLeft, ValueJoiner<?, ?, ? extends VR> joiner) {
        this.other = other;
        this.kind = kind;
        this.thisIsLeft = thisIsLeft;
        this.joiner = (ValueJoiner<Object, Object, ? extends VR>) joiner;
    }

    @Override
    public void init(ProcessorContext<K, Change<VR>> context) {
        this.context = context;
        other.init(context);
    }

    @Override
    public void process(Record<K, Change<V1>> record) {
        if (record.key() == null) {
            return;
        }
        ValueAndTimestamp<V2> found = other.get(record.key());
        V2 otherValue = ValueAndTimestamp.getValueOrNull(found);
        VR newValue = join(record.value().newValue(), otherValue);
        VR oldValue = join(record.value().oldValue(), otherValue);
        if (newValue == null && oldValue == null) {
            return;
        }
        long timestamp = found == null ? record.timestamp() : Math.max(record.timestamp(), found.timestamp());
        context.forward(record.withValue(new Change<>(newValue, oldValue)).withTimestamp(timestamp));
    }

    private VR join(V1 mine, V2 otherValue) {
        Object left = thisIsLeft ? mine : otherValue;
        Object right = thisIsLeft ? otherValue : mine;
        return kind.joins(left, right) ? joiner.apply(left, right) : null;
    }
}
