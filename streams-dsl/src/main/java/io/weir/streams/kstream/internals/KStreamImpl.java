package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.KeyValue;
import io.weir.streams.kstream.BranchedKStream;
import io.weir.streams.kstream.ForeachAction;
import io.weir.streams.kstream.GlobalKTable;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.JoinWindows;
import io.weir.streams.kstream.Joined;
import io.weir.streams.kstream.KGroupedStream;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.KeyValueMapper;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Predicate;
import io.weir.streams.kstream.Produced;
import io.weir.streams.kstream.Repartitioned;
import io.weir.streams.kstream.StreamJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.kstream.ValueJoinerWithKey;
import io.weir.streams.kstream.ValueMapper;
import io.weir.streams.kstream.ValueMapperWithKey;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.TopicNameExtractor;
import io.weir.streams.processor.api.FixedKeyProcessorSupplier;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.processor.api.Record;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;

/**
 * A {@link KStream} as a node of the topology being built: each operator adds a processor under this node and
 * returns the stream of that processor. Carries the serdes known so far (an operator that changes a type drops
 * the serde of that part) and whether the key may have changed since the last repartition.
 */
public final class KStreamImpl<K, V> implements KStream<K, V> {
    private final InternalStreamsBuilder builder;
    private final String nodeName;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final boolean repartitionRequired;
    /** The source reading this stream back from the repartition topic its unnamed joins share, once made. */
    private String joinRepartitionSource;

    public KStreamImpl(
            InternalStreamsBuilder builder,
            String nodeName,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            boolean repartitionRequired) {
        this.builder = builder;
        this.nodeName = nodeName;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.repartitionRequired = repartitionRequired;
    }

    String nodeName() {
        return nodeName;
    }

    boolean repartitionRequired() {
        return repartitionRequired;
    }

    /**
     * A processor whose body sees each record and the context to forward through; {@code get()} makes a new one
     * each time, as every task needs its own.
     */
    interface Body<KIn, VIn, KOut, VOut> {
        void process(Record<KIn, VIn> record, ProcessorContext<KOut, VOut> context);
    }

    static <KIn, VIn, KOut, VOut> ProcessorSupplier<KIn, VIn, KOut, VOut> stateless(Body<KIn, VIn, KOut, VOut> body) {
        return () -> new Processor<>() {
            private ProcessorContext<KOut, VOut> context;

            @Override
            public void init(ProcessorContext<KOut, VOut> context) {
                this.context = context;
            }

            @Override
            public void process(Record<KIn, VIn> record) {
                body.process(record, context);
            }
        };
    }

    private <KR, VR> KStreamImpl<KR, VR> add(
            String name,
            ProcessorSupplier<?, ?, ?, ?> supplier,
            Serde<KR> keys,
            Serde<VR> values,
            boolean keyMayChange) {
        builder.topology().addProcessor(name, supplier, nodeName);
        return new KStreamImpl<>(builder, name, keys, values, repartitionRequired || keyMayChange);
    }

    @Override
    public KStream<K, V> filter(Predicate<? super K, ? super V> predicate) {
        return filter(predicate, null);
    }

    @Override
    public KStream<K, V> filter(Predicate<? super K, ? super V> predicate, Named named) {
        Objects.requireNonNull(predicate, "predicate");
        Body<K, V, K, V> body = (r, c) -> {
            if (predicate.test(r.key(), r.value())) {
                c.forward(r);
            }
        };
        return add(builder.name(named, "KSTREAM-FILTER-"), stateless(body), keySerde, valueSerde, false);
    }

    @Override
    public KStream<K, V> filterNot(Predicate<? super K, ? super V> predicate) {
        return filterNot(predicate, null);
    }

    @Override
    public KStream<K, V> filterNot(Predicate<? super K, ? super V> predicate, Named named) {
        Objects.requireNonNull(predicate, "predicate");
        Body<K, V, K, V> body = (r, c) -> {
            if (!predicate.test(r.key(), r.value())) {
                c.forward(r);
            }
        };
        return add(builder.name(named, "KSTREAM-FILTER-"), stateless(body), keySerde, valueSerde, false);
    }

    @Override
    public <KR, VR> KStream<KR, VR> map(
            KeyValueMapper<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper) {
        return map(mapper, null);
    }

    @Override
    public <KR, VR> KStream<KR, VR> map(
            KeyValueMapper<? super K, ? super V, ? extends KeyValue<? extends KR, ? extends VR>> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        String name = builder.name(named, "KSTREAM-MAP-");
        Body<K, V, KR, VR> body = (r, c) -> {
            KeyValue<? extends KR, ? extends VR> out = mapper.apply(r.key(), r.value());
            if (out == null) {
                throw new NullPointerException("The mapper of " + name + " returned null instead of a KeyValue");
            }
            c.forward(r.<KR>withKey(out.key()).withValue(out.value()));
        };
        return add(name, stateless(body), null, null, true);
    }

    @Override
    public <VR> KStream<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper) {
        return mapValues(mapper, (Named) null);
    }

    @Override
    public <VR> KStream<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        return mapValues((ValueMapperWithKey<K, V, VR>) (k, v) -> mapper.apply(v), named);
    }

    @Override
    public <VR> KStream<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper) {
        return mapValues(mapper, null);
    }

    @Override
    public <VR> KStream<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        Body<K, V, K, VR> body = (r, c) -> c.forward(r.<VR>withValue(mapper.apply(r.key(), r.value())));
        return add(builder.name(named, "KSTREAM-MAPVALUES-"), stateless(body), keySerde, null, false);
    }

    @Override
    public <KR, VR> KStream<KR, VR> flatMap(
            KeyValueMapper<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>>
                    mapper) {
        return flatMap(mapper, null);
    }

    @Override
    public <KR, VR> KStream<KR, VR> flatMap(
            KeyValueMapper<? super K, ? super V, ? extends Iterable<? extends KeyValue<? extends KR, ? extends VR>>>
                    mapper,
            Named named) {
        Objects.requireNonNull(mapper, "mapper");
        String name = builder.name(named, "KSTREAM-FLATMAP-");
        Body<K, V, KR, VR> body = (r, c) -> {
            Iterable<? extends KeyValue<? extends KR, ? extends VR>> out = mapper.apply(r.key(), r.value());
            if (out == null) {
                throw new NullPointerException("The mapper of " + name + " returned null instead of an Iterable");
            }
            for (KeyValue<? extends KR, ? extends VR> kv : out) {
                c.forward(r.<KR>withKey(kv.key()).withValue(kv.value()));
            }
        };
        return add(name, stateless(body), null, null, true);
    }

    @Override
    public <VR> KStream<K, VR> flatMapValues(ValueMapper<? super V, ? extends Iterable<? extends VR>> mapper) {
        return flatMapValues(mapper, (Named) null);
    }

    @Override
    public <VR> KStream<K, VR> flatMapValues(
            ValueMapper<? super V, ? extends Iterable<? extends VR>> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        return flatMapValues((ValueMapperWithKey<K, V, Iterable<? extends VR>>) (k, v) -> mapper.apply(v), named);
    }

    @Override
    public <VR> KStream<K, VR> flatMapValues(
            ValueMapperWithKey<? super K, ? super V, ? extends Iterable<? extends VR>> mapper) {
        return flatMapValues(mapper, null);
    }

    @Override
    public <VR> KStream<K, VR> flatMapValues(
            ValueMapperWithKey<? super K, ? super V, ? extends Iterable<? extends VR>> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        String name = builder.name(named, "KSTREAM-FLATMAPVALUES-");
        Body<K, V, K, VR> body = (r, c) -> {
            Iterable<? extends VR> out = mapper.apply(r.key(), r.value());
            if (out == null) {
                throw new NullPointerException("The mapper of " + name + " returned null instead of an Iterable");
            }
            for (VR value : out) {
                c.forward(r.<VR>withValue(value));
            }
        };
        return add(name, stateless(body), keySerde, null, false);
    }

    @Override
    public <KR> KStream<KR, V> selectKey(KeyValueMapper<? super K, ? super V, ? extends KR> mapper) {
        return selectKey(mapper, null);
    }

    @Override
    public <KR> KStream<KR, V> selectKey(KeyValueMapper<? super K, ? super V, ? extends KR> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        Body<K, V, KR, V> body = (r, c) -> c.forward(r.<KR>withKey(mapper.apply(r.key(), r.value())));
        return add(builder.name(named, "KSTREAM-KEY-SELECT-"), stateless(body), null, valueSerde, true);
    }

    @Override
    public KStream<K, V> peek(ForeachAction<? super K, ? super V> action) {
        return peek(action, null);
    }

    @Override
    public KStream<K, V> peek(ForeachAction<? super K, ? super V> action, Named named) {
        Objects.requireNonNull(action, "action");
        Body<K, V, K, V> body = (r, c) -> {
            action.apply(r.key(), r.value());
            c.forward(r);
        };
        return add(builder.name(named, "KSTREAM-PEEK-"), stateless(body), keySerde, valueSerde, false);
    }

    @Override
    public void foreach(ForeachAction<? super K, ? super V> action) {
        foreach(action, null);
    }

    @Override
    public void foreach(ForeachAction<? super K, ? super V> action, Named named) {
        Objects.requireNonNull(action, "action");
        Body<K, V, Void, Void> body = (r, c) -> action.apply(r.key(), r.value());
        add(builder.name(named, "KSTREAM-FOREACH-"), stateless(body), null, null, false);
    }

    @Override
    public KStream<K, V> merge(KStream<K, V> other) {
        return merge(other, null);
    }

    @Override
    public KStream<K, V> merge(KStream<K, V> other, Named named) {
        Objects.requireNonNull(other, "other");
        KStreamImpl<K, V> that = (KStreamImpl<K, V>) other;
        String name = builder.name(named, "KSTREAM-MERGE-");
        Body<K, V, K, V> body = (r, c) -> c.forward(r);
        builder.topology().addProcessor(name, stateless(body), nodeName, that.nodeName);
        // The serdes survive only where both sides agree on them.
        return new KStreamImpl<>(
                builder,
                name,
                keySerde == that.keySerde ? keySerde : null,
                valueSerde == that.valueSerde ? valueSerde : null,
                repartitionRequired || that.repartitionRequired);
    }

    @Override
    public BranchedKStream<K, V> split() {
        return split(null);
    }

    @Override
    public BranchedKStream<K, V> split(Named named) {
        // As Kafka Streams: Named names the splitter itself, and its name prefixes the branches'.
        String splitter = builder.name(named, "KSTREAM-BRANCH-");
        return new BranchedKStreamImpl<>(this, splitter, splitter);
    }

    InternalStreamsBuilder builder() {
        return builder;
    }

    Serde<K> keySerde() {
        return keySerde;
    }

    Serde<V> valueSerde() {
        return valueSerde;
    }

    @Override
    public void to(String topic) {
        to(topic, Produced.with(keySerde, valueSerde));
    }

    @Override
    public void to(String topic, Produced<K, V> produced) {
        Objects.requireNonNull(topic, "topic");
        sink(topic, null, produced);
    }

    @Override
    public void to(TopicNameExtractor<K, V> extractor) {
        to(extractor, Produced.with(keySerde, valueSerde));
    }

    @Override
    public void to(TopicNameExtractor<K, V> extractor, Produced<K, V> produced) {
        Objects.requireNonNull(extractor, "extractor");
        sink(null, extractor, produced);
    }

    private void sink(String topic, TopicNameExtractor<K, V> extractor, Produced<K, V> produced) {
        Objects.requireNonNull(produced, "produced");
        Serde<K> keys = produced.keySerde() != null ? produced.keySerde() : keySerde;
        Serde<V> values = produced.valueSerde() != null ? produced.valueSerde() : valueSerde;
        String name = produced.name() != null ? produced.name() : builder.newName("KSTREAM-SINK-");
        Serializer<K> keySerializer = keys == null ? null : keys.serializer();
        Serializer<V> valueSerializer = values == null ? null : values.serializer();
        builder.topology()
                .addSink(
                        name, topic, extractor, keySerializer, valueSerializer, produced.streamPartitioner(), nodeName);
    }

    @Override
    public <KOut, VOut> KStream<KOut, VOut> process(ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier) {
        return process(supplier, null);
    }

    @Override
    public <KOut, VOut> KStream<KOut, VOut> process(
            ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named) {
        return process(supplier, named, new String[0]);
    }

    @Override
    public <KOut, VOut> KStream<KOut, VOut> process(
            ProcessorSupplier<? super K, ? super V, KOut, VOut> supplier, Named named, String... stateStoreNames) {
        Objects.requireNonNull(supplier, "supplier");
        String name = builder.name(named, "KSTREAM-PROCESSOR-");
        KStreamImpl<KOut, VOut> out = add(name, supplier, null, null, true);
        if (stateStoreNames.length > 0) {
            builder.topology().connectProcessorAndStores(name, stateStoreNames);
        }
        return out;
    }

    @Override
    public <VOut> KStream<K, VOut> processValues(
            FixedKeyProcessorSupplier<? super K, ? super V, VOut> supplier, String... stateStoreNames) {
        return processValues(supplier, null, stateStoreNames);
    }

    @Override
    @SuppressWarnings("unchecked")
    public <VOut> KStream<K, VOut> processValues(
            FixedKeyProcessorSupplier<? super K, ? super V, VOut> supplier, Named named, String... stateStoreNames) {
        Objects.requireNonNull(supplier, "supplier");
        String name = builder.name(named, "KSTREAM-PROCESSVALUES-");
        Object[] last = {null};
        ProcessorSupplier<K, V, K, VOut> adapted = () -> {
            var processor = (io.weir.streams.processor.api.FixedKeyProcessor<K, V, VOut>) supplier.get();
            if (processor == null || processor == last[0]) {
                throw new io.weir.streams.errors.TopologyException("the supplier of processor " + name + " returned "
                        + (processor == null
                                ? "null"
                                : "the same instance twice; FixedKeyProcessorSupplier.get() must return a "
                                        + "new processor for every task"));
            }
            last[0] = processor;
            return new FixedKeyProcessorAdapter<>(processor);
        };
        KStreamImpl<K, VOut> out = add(name, adapted, keySerde, null, false);
        if (stateStoreNames.length > 0) {
            builder.topology().connectProcessorAndStores(name, stateStoreNames);
        }
        return out;
    }

    @Override
    public KGroupedStream<K, V> groupByKey() {
        return groupByKey(Grouped.with(keySerde, valueSerde));
    }

    @Override
    public KGroupedStream<K, V> groupByKey(Grouped<K, V> grouped) {
        Objects.requireNonNull(grouped, "grouped");
        Serde<K> keys = grouped.keySerde() != null ? grouped.keySerde() : keySerde;
        Serde<V> values = grouped.valueSerde() != null ? grouped.valueSerde() : valueSerde;
        return new KGroupedStreamImpl<>(
                new KStreamImpl<>(builder, nodeName, keys, values, repartitionRequired), grouped.name());
    }

    @Override
    public <KR> KGroupedStream<KR, V> groupBy(KeyValueMapper<? super K, ? super V, KR> keySelector) {
        return groupBy(keySelector, Grouped.with(null, valueSerde));
    }

    @Override
    public <KR> KGroupedStream<KR, V> groupBy(
            KeyValueMapper<? super K, ? super V, KR> keySelector, Grouped<KR, V> grouped) {
        Objects.requireNonNull(keySelector, "keySelector");
        Objects.requireNonNull(grouped, "grouped");
        // As Kafka Streams: the key selector takes the grouping's name.
        return selectKey(keySelector, grouped.name() != null ? Named.as(grouped.name()) : null)
                .groupByKey(grouped);
    }

    @Override
    public KTable<K, V> toTable() {
        return toTable(null, null);
    }

    @Override
    public KTable<K, V> toTable(Named named, Materialized<K, V, ? extends StateStore> materialized) {
        return toTable("KSTREAM-TOTABLE-", "KSTREAM-TOTABLE-STATE-STORE-", named, materialized);
    }

    /** The table of this stream, with the processor and store named from the given prefixes unless named. */
    public KTable<K, V> toTable(
            String processorPrefix,
            String storePrefix,
            Named named,
            Materialized<K, V, ? extends StateStore> materialized) {
        // Kafka Streams' order: the processor's name, the store's, then the repartition named after the processor.
        String name = builder.name(named, processorPrefix);
        String storeName = MaterializedInternal.storeName(materialized, builder, storePrefix);
        Serde<K> keys = MaterializedInternal.keySerde(materialized, keySerde);
        Serde<V> values = MaterializedInternal.valueSerde(materialized, valueSerde);
        String parent = repartitionRequired ? repartition(name, keys, values) : nodeName;
        return tableAt(name, parent, storeName, materialized, keys, values);
    }

    /**
     * The table read from this stream by the processor {@code name} under {@code parent}, kept in {@code storeName}
     * with the serdes {@code keys} and {@code values} (whatever {@code materialized} says of serdes).
     */
    public KTable<K, V> tableAt(
            String name,
            String parent,
            String storeName,
            Materialized<K, V, ? extends StateStore> materialized,
            Serde<K> keys,
            Serde<V> values) {
        ProcessorSupplier<K, V, K, Change<V>> table = () -> new KTableSource<>(name, storeName);
        builder.topology().addProcessor(name, table, parent);
        var store = MaterializedInternal.storeBuilder(materialized, storeName, keys, values);
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(builder, name, keys, values, storeName, MaterializedInternal.queryable(materialized));
    }

    @Override
    public <VT, VR> KStream<K, VR> join(KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner) {
        return join(table, joiner, Joined.with(keySerde, valueSerde, null));
    }

    @Override
    public <VT, VR> KStream<K, VR> join(
            KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined) {
        return joinTable(table, joiner, joined, false);
    }

    @Override
    public <VT, VR> KStream<K, VR> leftJoin(
            KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner) {
        return leftJoin(table, joiner, Joined.with(keySerde, valueSerde, null));
    }

    @Override
    public <VT, VR> KStream<K, VR> leftJoin(
            KTable<K, VT> table, ValueJoiner<? super V, ? super VT, ? extends VR> joiner, Joined<K, V, VT> joined) {
        return joinTable(table, joiner, joined, true);
    }

    private <VT, VR> KStream<K, VR> joinTable(
            KTable<K, VT> table,
            ValueJoiner<? super V, ? super VT, ? extends VR> joiner,
            Joined<K, V, VT> joined,
            boolean left) {
        Objects.requireNonNull(table, "table");
        Objects.requireNonNull(joiner, "joiner");
        Objects.requireNonNull(joined, "joined");
        Serde<K> keys = joined.keySerde() != null ? joined.keySerde() : keySerde;
        Serde<V> values = joined.valueSerde() != null ? joined.valueSerde() : valueSerde;
        String parent = joinParent(joined.name(), keys, values);
        String name =
                joined.name() != null ? joined.name() : builder.newName(left ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
        KTableValueGetter.Supplier<K, VT> getters = ((KTableImpl<K, VT>) table).valueGetterSupplier();
        ProcessorSupplier<K, V, K, VR> join = () -> new KStreamKTableJoin<>(name, getters.get(), joiner, left);
        builder.topology().addProcessor(name, join, parent);
        builder.topology().connectProcessorAndStores(name, getters.storeNames());
        builder.topology().requireCopartitioned(name);
        return new KStreamImpl<>(builder, name, keys, null, false);
    }

    // ---- joins with a GlobalKTable: a lookup by a selected key, no repartition ----------------------------------

    @Override
    public <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner) {
        return joinGlobal(globalTable, keySelector, withKey(joiner), null, false);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner) {
        return joinGlobal(globalTable, keySelector, joiner, null, false);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner,
            Named named) {
        return joinGlobal(globalTable, keySelector, withKey(joiner), Objects.requireNonNull(named, "named"), false);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> join(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner,
            Named named) {
        return joinGlobal(globalTable, keySelector, joiner, Objects.requireNonNull(named, "named"), false);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner) {
        return joinGlobal(globalTable, keySelector, withKey(joiner), null, true);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner) {
        return joinGlobal(globalTable, keySelector, joiner, null, true);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner,
            Named named) {
        return joinGlobal(globalTable, keySelector, withKey(joiner), Objects.requireNonNull(named, "named"), true);
    }

    @Override
    public <GK, GV, RV> KStream<K, RV> leftJoin(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner,
            Named named) {
        return joinGlobal(globalTable, keySelector, joiner, Objects.requireNonNull(named, "named"), true);
    }

    private static <K, V, GV, RV> ValueJoinerWithKey<K, V, GV, RV> withKey(
            ValueJoiner<? super V, ? super GV, ? extends RV> joiner) {
        Objects.requireNonNull(joiner, "joiner");
        return (key, value, other) -> joiner.apply(value, other);
    }

    /**
     * A processor under this node that looks each record up in the global table's store (Kafka's
     * {@code KSTREAM-JOIN-} / {@code KSTREAM-LEFTJOIN-} name): no repartition even after a key change, and no
     * co-partitioning, since every task reads the whole table. The global store is not connected to the processor:
     * every processor may read a global store, as in Kafka Streams.
     */
    private <GK, GV, RV> KStream<K, RV> joinGlobal(
            GlobalKTable<GK, GV> globalTable,
            KeyValueMapper<? super K, ? super V, ? extends GK> keySelector,
            ValueJoinerWithKey<? super K, ? super V, ? super GV, ? extends RV> joiner,
            Named named,
            boolean left) {
        Objects.requireNonNull(globalTable, "globalTable");
        Objects.requireNonNull(keySelector, "keySelector");
        Objects.requireNonNull(joiner, "joiner");
        String name = builder.name(named, left ? "KSTREAM-LEFTJOIN-" : "KSTREAM-JOIN-");
        KTableValueGetter.Supplier<GK, GV> getters = ((GlobalKTableImpl<GK, GV>) globalTable).valueGetterSupplier();
        ProcessorSupplier<K, V, K, RV> join =
                () -> new KStreamGlobalKTableJoin<>(name, getters.get(), keySelector, joiner, left);
        builder.topology().addProcessor(name, join, nodeName);
        return new KStreamImpl<>(builder, name, keySerde, null, repartitionRequired);
    }

    /**
     * The node a join of this stream reads from: this one, or, if the key may have changed, the source of the
     * repartition topic {@code <named or this node>-repartition}. As Kafka Streams: made once for the unnamed joins of
     * this stream (stream-table and stream-stream alike), and before the join takes its generated names.
     */
    String joinParent(String named, Serde<K> keys, Serde<V> values) {
        if (!repartitionRequired) {
            return nodeName;
        }
        String prefix = named != null ? named : nodeName;
        if (prefix.equals(nodeName) && joinRepartitionSource != null) {
            burnRepartitionNames();
            return joinRepartitionSource;
        }
        String source = repartition(prefix, keys, values);
        if (prefix.equals(nodeName)) {
            joinRepartitionSource = source;
        }
        return source;
    }

    @Override
    public <VO, VR> KStream<K, VR> join(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return KStreamImplJoin.join(this, otherStream, joiner, windows, streamJoined, KStreamImplJoin.Kind.INNER);
    }

    @Override
    public <VO, VR> KStream<K, VR> leftJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return KStreamImplJoin.join(this, otherStream, joiner, windows, streamJoined, KStreamImplJoin.Kind.LEFT);
    }

    @Override
    public <VO, VR> KStream<K, VR> outerJoin(
            KStream<K, VO> otherStream,
            ValueJoinerWithKey<? super K, ? super V, ? super VO, ? extends VR> joiner,
            JoinWindows windows,
            StreamJoined<K, V, VO> streamJoined) {
        return KStreamImplJoin.join(this, otherStream, joiner, windows, streamJoined, KStreamImplJoin.Kind.OUTER);
    }

    @Override
    public KStream<K, V> repartition() {
        return repartition(Repartitioned.with(null, null));
    }

    @Override
    public KStream<K, V> repartition(Repartitioned<K, V> repartitioned) {
        Objects.requireNonNull(repartitioned, "repartitioned");
        String prefix = repartitioned.name() != null ? repartitioned.name() : builder.newName("KSTREAM-REPARTITION-");
        Serde<K> keys = repartitioned.keySerde() != null ? repartitioned.keySerde() : keySerde;
        Serde<V> values = repartitioned.valueSerde() != null ? repartitioned.valueSerde() : valueSerde;
        String source = repartition(prefix, keys, values);
        if (repartitioned.numberOfPartitions() != null) {
            builder.topology().setPartitionCount(prefix + "-repartition", repartitioned.numberOfPartitions());
        }
        return new KStreamImpl<>(builder, source, keys, values, false);
    }

    /**
     * Sends the stream through the internal topic {@code <application.id>-<prefix>-repartition}, so that records
     * meet their key's task, and returns the name of the node reading it back. Named as Kafka Streams names it: three
     * generated names are always used up (sink, filter, source, in that order), and they name the nodes only when the
     * prefix is itself a generated name; otherwise the nodes are {@code <prefix>-repartition-filter}, {@code -sink}
     * and {@code -source}. Every record goes through, null keys included (Kafka Streams 3.7+): a stream-table left
     * join joins them with null, and the operators that cannot use them skip them with a warning.
     */
    String repartition(String prefix, Serde<K> keys, Serde<V> values) {
        String topic = prefix + "-repartition";
        String generatedSink = builder.newName("KSTREAM-SINK-");
        String generatedFilter = builder.newName("KSTREAM-FILTER-");
        String generatedSource = builder.newName("KSTREAM-SOURCE-");
        boolean generated = GENERATED_NAME.matcher(prefix).matches();
        String filter = generated ? generatedFilter : topic + "-filter";
        String sink = generated ? generatedSink : topic + "-sink";
        String source = generated ? generatedSource : topic + "-source";
        builder.topology().markInternal(topic);
        Body<K, V, K, V> passAll = (r, c) -> c.forward(r);
        builder.topology().addProcessor(filter, stateless(passAll), nodeName);
        builder.topology()
                .addSink(
                        sink,
                        topic,
                        null,
                        keys == null ? null : keys.serializer(),
                        values == null ? null : values.serializer(),
                        filter);
        builder.topology()
                .addSource(
                        source,
                        keys == null ? null : keys.deserializer(),
                        values == null ? null : values.deserializer(),
                        java.util.List.of(topic));
        return source;
    }

    /** Kafka Streams' test for a generated name ({@code KSTREAM-AGGREGATE-STATE-STORE-0000000002}). */
    private static final java.util.regex.Pattern GENERATED_NAME =
            java.util.regex.Pattern.compile("KSTREAM.*-[0-9]{10}");

    /** Uses up the three names a repartition takes, for a repartition that is reused rather than made again. */
    void burnRepartitionNames() {
        builder.newName("KSTREAM-SINK-");
        builder.newName("KSTREAM-FILTER-");
        builder.newName("KSTREAM-SOURCE-");
    }
}
