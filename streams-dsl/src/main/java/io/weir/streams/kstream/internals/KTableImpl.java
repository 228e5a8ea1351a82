package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.streams.KeyValue;
import io.weir.streams.errors.TopologyException;
import io.weir.streams.kstream.Grouped;
import io.weir.streams.kstream.KGroupedTable;
import io.weir.streams.kstream.KStream;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.KeyValueMapper;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.Named;
import io.weir.streams.kstream.Predicate;
import io.weir.streams.kstream.Suppressed;
import io.weir.streams.kstream.TableJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.kstream.ValueMapper;
import io.weir.streams.kstream.ValueMapperWithKey;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.state.KeyValueStore;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.TimestampedKeyValueStore;
import io.weir.streams.state.ValueAndTimestamp;
import io.weir.streams.state.internals.StoreFactory;
import java.util.Objects;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * A {@link KTable} as a node of the topology being built; its processors pass {@link Change}s. {@code storeName} is
 * the store that holds the table at this node, or null where the node only transforms updates; the store is
 * queryable, as in Kafka Streams, only when the user named it ({@code Materialized.as}).
 */
public final class KTableImpl<K, V> implements KTable<K, V> {
    private final InternalStreamsBuilder builder;
    private final String nodeName;
    private final Serde<K> keySerde;
    private final Serde<V> valueSerde;
    private final String queryableStoreName;
    private final KTableValueGetter.Supplier<K, V> getters;
    /** The windowed aggregation this table descends from, or null. */
    private WindowedOrigin windowed;

    /**
     * A table kept in the store {@code storeName} at this node.
     *
     * @param queryable whether the user named the store, which makes it queryable
     */
    KTableImpl(
            InternalStreamsBuilder builder,
            String nodeName,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            String storeName,
            boolean queryable) {
        this(builder, nodeName, keySerde, valueSerde, queryable ? storeName : null, fromStore(storeName));
    }

    /** A table whose current values {@code getters} read (a windowed aggregation's, from its window store). */
    KTableImpl(
            InternalStreamsBuilder builder,
            String nodeName,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            String queryableStoreName,
            KTableValueGetter.Supplier<K, V> getters) {
        this.builder = builder;
        this.nodeName = nodeName;
        this.keySerde = keySerde;
        this.valueSerde = valueSerde;
        this.queryableStoreName = queryableStoreName;
        this.getters = getters;
    }

    InternalStreamsBuilder builder() {
        return builder;
    }

    String nodeName() {
        return nodeName;
    }

    Serde<K> keySerde() {
        return keySerde;
    }

    Serde<V> valueSerde() {
        return valueSerde;
    }

    /** Marks this table, just built, as the output of (or derived from) a windowed aggregation. */
    KTableImpl<K, V> windowed(WindowedOrigin origin) {
        this.windowed = origin;
        return this;
    }

    /** Reads this table's current values where a join needs them. */
    KTableValueGetter.Supplier<K, V> valueGetterSupplier() {
        return getters;
    }

    static <K, V> KTableValueGetter.Supplier<K, V> fromStore(String storeName) {
        return new KTableValueGetter.Supplier<>() {
            @Override
            public KTableValueGetter<K, V> get() {
                return new KTableValueGetter<>() {
                    private TimestampedKeyValueStore<K, V> store;

                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        store = context.getStateStore(storeName);
                    }

                    @Override
                    public ValueAndTimestamp<V> get(K key) {
                        return store.get(key);
                    }
                };
            }

            @Override
            public String[] storeNames() {
                return new String[] {storeName};
            }
        };
    }

    /** Getters that read the parent's value of a key and transform it as this node's processor does. */
    private static <K, V, VR> KTableValueGetter.Supplier<K, VR> derived(
            KTableValueGetter.Supplier<K, V> parent,
            BiFunction<K, ValueAndTimestamp<V>, ValueAndTimestamp<VR>> transform) {
        return new KTableValueGetter.Supplier<>() {
            @Override
            public KTableValueGetter<K, VR> get() {
                KTableValueGetter<K, V> inner = parent.get();
                return new KTableValueGetter<>() {
                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        inner.init(context);
                    }

                    @Override
                    public ValueAndTimestamp<VR> get(K key) {
                        ValueAndTimestamp<V> value = inner.get(key);
                        return value == null ? null : transform.apply(key, value);
                    }
                };
            }

            @Override
            public String[] storeNames() {
                return parent.storeNames();
            }
        };
    }

    @Override
    public KTable<K, V> filter(Predicate<? super K, ? super V> predicate) {
        return filter(predicate, null);
    }

    @Override
    public KTable<K, V> filter(Predicate<? super K, ? super V> predicate, Named named) {
        Objects.requireNonNull(predicate, "predicate");
        return doFilter(predicate, false, named);
    }

    @Override
    public KTable<K, V> filterNot(Predicate<? super K, ? super V> predicate) {
        return filterNot(predicate, null);
    }

    @Override
    public KTable<K, V> filterNot(Predicate<? super K, ? super V> predicate, Named named) {
        Objects.requireNonNull(predicate, "predicate");
        return doFilter(predicate, true, named);
    }

    private KTable<K, V> doFilter(Predicate<? super K, ? super V> predicate, boolean negate, Named named) {
        String name = builder.name(named, "KTABLE-FILTER-");
        KStreamImpl.Body<K, Change<V>, K, Change<V>> body = (r, c) -> {
            V newValue = passes(predicate, negate, r.key(), r.value().newValue())
                    ? r.value().newValue()
                    : null;
            V oldValue = passes(predicate, negate, r.key(), r.value().oldValue())
                    ? r.value().oldValue()
                    : null;
            if (newValue != null || oldValue != null) {
                c.forward(r.withValue(new Change<>(newValue, oldValue)));
            }
        };
        builder.topology().addProcessor(name, KStreamImpl.stateless(body), nodeName);
        return new KTableImpl<>(
                        builder,
                        name,
                        keySerde,
                        valueSerde,
                        null,
                        derived(getters, (k, v) -> passes(predicate, negate, k, v.value()) ? v : null))
                .windowed(windowed);
    }

    private static <K, V> boolean passes(Predicate<? super K, ? super V> predicate, boolean negate, K key, V value) {
        return value != null && predicate.test(key, value) != negate;
    }

    @Override
    public <VR> KTable<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper) {
        return mapValues(mapper, (Named) null);
    }

    @Override
    public <VR> KTable<K, VR> mapValues(ValueMapper<? super V, ? extends VR> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        return mapValues((ValueMapperWithKey<K, V, VR>) (k, v) -> mapper.apply(v), named);
    }

    @Override
    public <VR> KTable<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper) {
        return mapValues(mapper, null);
    }

    @Override
    public <VR> KTable<K, VR> mapValues(ValueMapperWithKey<? super K, ? super V, ? extends VR> mapper, Named named) {
        Objects.requireNonNull(mapper, "mapper");
        String name = builder.name(named, "KTABLE-MAPVALUES-");
        KStreamImpl.Body<K, Change<V>, K, Change<VR>> body = (r, c) -> {
            VR newValue = r.value().newValue() == null
                    ? null
                    : mapper.apply(r.key(), r.value().newValue());
            VR oldValue = r.value().oldValue() == null
                    ? null
                    : mapper.apply(r.key(), r.value().oldValue());
            c.forward(r.withValue(new Change<>(newValue, oldValue)));
        };
        builder.topology().addProcessor(name, KStreamImpl.stateless(body), nodeName);
        return new KTableImpl<>(
                        builder,
                        name,
                        keySerde,
                        null,
                        null,
                        derived(getters, (k, v) -> ValueAndTimestamp.make(mapper.apply(k, v.value()), v.timestamp())))
                .windowed(windowed);
    }

    @Override
    public KStream<K, V> toStream() {
        return toStream(null);
    }

    @Override
    public KStream<K, V> toStream(Named named) {
        String name = builder.name(named, "KTABLE-TOSTREAM-");
        KStreamImpl.Body<K, Change<V>, K, V> body =
                (r, c) -> c.forward(r.withValue(r.value().newValue()));
        builder.topology().addProcessor(name, KStreamImpl.stateless(body), nodeName);
        return new KStreamImpl<>(builder, name, keySerde, valueSerde, false);
    }

    @Override
    public <VO, VR> KTable<K, VR> join(KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return join(other, joiner, null);
    }

    @Override
    public <VO, VR> KTable<K, VR> join(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named) {
        return joinTables(other, joiner, named, KTableKTableJoin.Kind.INNER, "KTABLE-JOINTHIS-", "KTABLE-JOINOTHER-");
    }

    @Override
    public <VO, VR> KTable<K, VR> leftJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return leftJoin(other, joiner, null);
    }

    @Override
    public <VO, VR> KTable<K, VR> leftJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named) {
        return joinTables(other, joiner, named, KTableKTableJoin.Kind.LEFT, "KTABLE-LEFTTHIS-", "KTABLE-LEFTOTHER-");
    }

    @Override
    public <VO, VR> KTable<K, VR> outerJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return outerJoin(other, joiner, null);
    }

    @Override
    public <VO, VR> KTable<K, VR> outerJoin(
            KTable<K, VO> other, ValueJoiner<? super V, ? super VO, ? extends VR> joiner, Named named) {
        return joinTables(other, joiner, named, KTableKTableJoin.Kind.OUTER, "KTABLE-OUTERTHIS-", "KTABLE-OUTEROTHER-");
    }

    /**
     * A join processor on each side, each connected to the other side's stores, merging into one node: the joined
     * table. Its getter joins both sides' current values on demand.
     */
    private <VO, VR> KTable<K, VR> joinTables(
            KTable<K, VO> other,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Named named,
            KTableKTableJoin.Kind kind,
            String thisPrefix,
            String otherPrefix) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(joiner, "joiner");
        KTableImpl<K, VO> that = (KTableImpl<K, VO>) other;
        String base = named != null && named.name() != null ? named.name() : null;
        // Kafka Streams' order of generated names: the merge node, then this side, then the other.
        String mergeName = base != null ? base : builder.newName("KTABLE-MERGE-");
        String thisName = base != null ? base + "-join-this" : builder.newName(thisPrefix);
        String otherName = base != null ? base + "-join-other" : builder.newName(otherPrefix);
        KTableValueGetter.Supplier<K, VO> otherGetters = that.getters;
        KTableValueGetter.Supplier<K, V> thisGetters = getters;
        ProcessorSupplier<K, Change<V>, K, Change<VR>> thisSide =
                () -> new KTableKTableJoin<>(otherGetters.get(), kind, true, joiner);
        ProcessorSupplier<K, Change<VO>, K, Change<VR>> otherSide =
                () -> new KTableKTableJoin<>(thisGetters.get(), kind, false, joiner);
        builder.topology().addProcessor(thisName, thisSide, nodeName);
        builder.topology().connectProcessorAndStores(thisName, otherGetters.storeNames());
        builder.topology().addProcessor(otherName, otherSide, that.nodeName);
        builder.topology().connectProcessorAndStores(otherName, thisGetters.storeNames());
        KStreamImpl.Body<K, Change<VR>, K, Change<VR>> passThrough = (r, c) -> c.forward(r);
        builder.topology().addProcessor(mergeName, KStreamImpl.stateless(passThrough), thisName, otherName);
        builder.topology().requireCopartitioned(mergeName);
        return new KTableImpl<K, VR>(
                        builder, mergeName, keySerde, null, null, joined(thisGetters, otherGetters, kind, joiner))
                .windowed(WindowedOrigin.joined(windowed, that.windowed));
    }

    private static <K, V1, V2, VR> KTableValueGetter.Supplier<K, VR> joined(
            KTableValueGetter.Supplier<K, V1> left,
            KTableValueGetter.Supplier<K, V2> right,
            KTableKTableJoin.Kind kind,
            ValueJoiner<? super V1, ? super V2, ? extends VR> joiner) {
        return new KTableValueGetter.Supplier<>() {
            @Override
            public KTableValueGetter<K, VR> get() {
                KTableValueGetter<K, V1> l = left.get();
                KTableValueGetter<K, V2> r = right.get();
                return new KTableValueGetter<>() {
                    @Override
                    public void init(ProcessorContext<?, ?> context) {
                        l.init(context);
                        r.init(context);
                    }

                    @Override
                    public ValueAndTimestamp<VR> get(K key) {
                        ValueAndTimestamp<V1> lv = l.get(key);
                        ValueAndTimestamp<V2> rv = r.get(key);
                        V1 a = ValueAndTimestamp.getValueOrNull(lv);
                        V2 b = ValueAndTimestamp.getValueOrNull(rv);
                        if (!kind.joins(a, b)) {
                            return null;
                        }
                        long timestamp = Math.max(lv == null ? -1 : lv.timestamp(), rv == null ? -1 : rv.timestamp());
                        return ValueAndTimestamp.make(joiner.apply(a, b), timestamp);
                    }
                };
            }

            @Override
            public String[] storeNames() {
                String[] a = left.storeNames();
                String[] b = right.storeNames();
                String[] both = java.util.Arrays.copyOf(a, a.length + b.length);
                System.arraycopy(b, 0, both, a.length, b.length);
                return both;
            }
        };
    }

    // ---- foreign-key joins (ForeignKeyJoin) ----------------------------------------------------------------

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, TableJoined.with(null, null), null, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, tableJoined, null, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, TableJoined.with(null, null), materialized, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, tableJoined, materialized, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return fkJoin(other, foreignKeyExtractor, joiner, TableJoined.with(null, null), null, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined) {
        return fkJoin(other, foreignKeyExtractor, joiner, tableJoined, null, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, foreignKeyExtractor, joiner, TableJoined.with(null, null), materialized, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> join(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, foreignKeyExtractor, joiner, tableJoined, materialized, false);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, TableJoined.with(null, null), null, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, tableJoined, null, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, TableJoined.with(null, null), materialized, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            Function<? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, byValue(foreignKeyExtractor), joiner, tableJoined, materialized, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner) {
        return fkJoin(other, foreignKeyExtractor, joiner, TableJoined.with(null, null), null, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined) {
        return fkJoin(other, foreignKeyExtractor, joiner, tableJoined, null, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, foreignKeyExtractor, joiner, TableJoined.with(null, null), materialized, true);
    }

    @Override
    public <VR, KO, VO> KTable<K, VR> leftJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized) {
        return fkJoin(other, foreignKeyExtractor, joiner, tableJoined, materialized, true);
    }

    private <VR, KO, VO> KTable<K, VR> fkJoin(
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized,
            boolean leftJoin) {
        return ForeignKeyJoin.join(this, other, foreignKeyExtractor, joiner, tableJoined, materialized, leftJoin);
    }

    private static <K, V, KO> BiFunction<K, V, KO> byValue(Function<? super V, ? extends KO> foreignKeyExtractor) {
        Objects.requireNonNull(foreignKeyExtractor, "foreignKeyExtractor");
        return (key, value) -> foreignKeyExtractor.apply(value);
    }

    @Override
    public <KR, VR> KGroupedTable<KR, VR> groupBy(KeyValueMapper<? super K, ? super V, KeyValue<KR, VR>> selector) {
        return groupBy(selector, Grouped.with(null, null));
    }

    /**
     * Maps each update's old and new rows to their groups, as Kafka Streams' {@code KTableRepartitionMap}: an update
     * that stays in its group is one change (subtract the old, add the new); one that moves is a subtraction from
     * the old group and then an addition to the new. A row whose selected key is null is in no group. The node is
     * named by {@code Grouped}'s name, as in Kafka Streams, or {@code KTABLE-SELECT-}.
     */
    @Override
    public <KR, VR> KGroupedTable<KR, VR> groupBy(
            KeyValueMapper<? super K, ? super V, KeyValue<KR, VR>> selector, Grouped<KR, VR> grouped) {
        Objects.requireNonNull(selector, "selector");
        Objects.requireNonNull(grouped, "grouped");
        String name = grouped.name() != null ? grouped.name() : builder.newName("KTABLE-SELECT-");
        KStreamImpl.Body<K, Change<V>, KR, Change<VR>> body = (r, c) -> {
            KeyValue<KR, VR> newPair = r.value().newValue() == null
                    ? null
                    : selector.apply(r.key(), r.value().newValue());
            KeyValue<KR, VR> oldPair = r.value().oldValue() == null
                    ? null
                    : selector.apply(r.key(), r.value().oldValue());
            boolean hasNew = newPair != null && newPair.key() != null;
            boolean hasOld = oldPair != null && oldPair.key() != null;
            if (hasNew && hasOld && oldPair.key().equals(newPair.key())) {
                c.forward(r.withKey(newPair.key()).withValue(new Change<>(newPair.value(), oldPair.value())));
                return;
            }
            // Subtract first: the old group's aggregate is right before the new group's shows the row.
            if (hasOld) {
                c.forward(r.withKey(oldPair.key()).withValue(new Change<VR>(null, oldPair.value())));
            }
            if (hasNew) {
                c.forward(r.withKey(newPair.key()).withValue(new Change<VR>(newPair.value(), null)));
            }
        };
        builder.topology().addProcessor(name, KStreamImpl.stateless(body), nodeName);
        return new KGroupedTableImpl<>(builder, name, grouped.name(), grouped.keySerde(), grouped.valueSerde());
    }

    /**
     * A {@link KTableSuppressProcessor} and its buffer store, as Kafka Streams' {@code KTableImpl.suppress} adds
     * them: the processor {@code KTABLE-SUPPRESS-<n>} then the store {@code KTABLE-SUPPRESS-STATE-STORE-<n>}, or the
     * given name and {@code <name>-store}. The store is on LMDB without a cache (the buffer indexes it in the heap),
     * changelogged unless the buffer config disables it. The suppressed table reads its values through the parent's
     * getters (Kafka's reads a buffered key's prior value from the buffer).
     */
    @Override
    public KTable<K, V> suppress(Suppressed<? super K> suppressed) {
        Objects.requireNonNull(suppressed, "suppressed");
        if (!(suppressed instanceof SuppressedInternal<?> internal)) {
            throw new IllegalArgumentException("Custom subclasses of Suppressed are not supported: "
                    + suppressed.getClass().getName());
        }
        String name = internal.name() != null ? internal.name() : builder.newName("KTABLE-SUPPRESS-");
        String storeName =
                internal.name() != null ? internal.name() + "-store" : builder.newName("KTABLE-SUPPRESS-STATE-STORE-");
        long waitMs;
        if (internal.finalResults()) {
            if (windowed == null) {
                throw new TopologyException("Window close time is only defined for windowed computations. Got ["
                        + nodeName + "->" + name + "]: suppress(untilWindowCloses(...)) needs a table of a windowed "
                        + "aggregation");
            }
            waitMs = windowed.closeDelayMs();
        } else {
            waitMs = internal.timeLimitMs();
        }
        WindowedOrigin origin = windowed;
        Serde<K> keys = keySerde;
        Serde<V> values = valueSerde;
        ProcessorSupplier<K, Change<V>, K, Change<V>> processor =
                () -> new KTableSuppressProcessor<>(name, storeName, internal, waitMs, keys, values, origin);
        builder.topology().addProcessor(name, processor, nodeName);
        StoreBuilder<KeyValueStore<byte[], byte[]>> store = Stores.keyValueStoreBuilder(
                        Stores.persistentKeyValueStore(storeName), Serdes.ByteArray(), Serdes.ByteArray())
                .withCachingDisabled();
        if (internal.bufferConfig().loggingEnabled()) {
            store.withLoggingEnabled(internal.bufferConfig().logConfig);
        } else {
            store.withLoggingDisabled();
        }
        builder.topology().addStateStore((StoreFactory) store, name);
        return new KTableImpl<>(builder, name, keySerde, valueSerde, null, getters).windowed(windowed);
    }

    @Override
    public String queryableStoreName() {
        return queryableStoreName;
    }
}
