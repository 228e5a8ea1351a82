package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.Serializer;
import io.weir.streams.kstream.KTable;
import io.weir.streams.kstream.Materialized;
import io.weir.streams.kstream.TableJoined;
import io.weir.streams.kstream.ValueJoiner;
import io.weir.streams.processor.StateStore;
import io.weir.streams.processor.StreamPartitioner;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.ProcessorSupplier;
import io.weir.streams.processor.internals.InternalTopologyBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.internals.StoreFactory;
import java.util.List;
import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Builds a foreign-key table join (KIP-213) into the topology, as Kafka Streams' {@code KTableImpl.doJoinOnForeignKey}
 * does, with its names. Neither table is repartitioned and they need not be co-partitioned; two internal topics carry
 * the join instead:
 *
 * <pre>
 *  left table --(SubscriptionSendProcessor)--> &lt;app&gt;-...-SUBSCRIPTION-REGISTRATION-n-topic  (key: foreign key)
 *     subscription topic --(SubscriptionReceiveProcessor: subscription store)--(SubscriptionJoinProcessor)--+
 *     right table --(ForeignTableJoinProcessor: every subscriber of the key)------------------------------+
 *         --> &lt;app&gt;-...-SUBSCRIPTION-RESPONSE-n-topic  (key: left key; to the left row's partition)
 *     response topic --(ResponseJoinProcessor: drops stale answers, joins)--(KTableSource: result store)
 * </pre>
 *
 * The subscription topic is co-partitioned with the right table (it takes its partition count), the response topic
 * with the left table; the subscription store is changelogged like every store, and every record crosses through the
 * transactional producer, so the join is exactly-once with the rest of the application.
 */
final class ForeignKeyJoin {
    private static final String FK_JOIN = "KTABLE-FK-JOIN-";
    private static final String SUBSCRIPTION_REGISTRATION = FK_JOIN + "SUBSCRIPTION-REGISTRATION-";
    private static final String SUBSCRIPTION_RESPONSE = FK_JOIN + "SUBSCRIPTION-RESPONSE-";
    private static final String SUBSCRIPTION_PROCESSOR = FK_JOIN + "SUBSCRIPTION-PROCESSOR-";
    private static final String STATE_STORE = FK_JOIN + "SUBSCRIPTION-STATE-STORE-";
    private static final String RESOLVER = FK_JOIN + "SUBSCRIPTION-RESPONSE-RESOLVER-PROCESSOR-";
    private static final String OUTPUT = FK_JOIN + "OUTPUT-";
    private static final String SINK = "KTABLE-SINK-";
    private static final String SOURCE = "KTABLE-SOURCE-";
    private static final String TOPIC_SUFFIX = "-topic";

    private ForeignKeyJoin() {}

    /**
     * The joined table. The result is always kept in a store (the {@code Materialized} one, or one with a generated
     * name), since Weir's table operators pass each change with its old value.
     */
    static <K, V, KO, VO, VR> KTable<K, VR> join(
            KTableImpl<K, V> left,
            KTable<KO, VO> other,
            BiFunction<? super K, ? super V, ? extends KO> foreignKeyExtractor,
            ValueJoiner<? super V, ? super VO, ? extends VR> joiner,
            TableJoined<K, KO> tableJoined,
            Materialized<K, VR, ? extends StateStore> materialized,
            boolean leftJoin) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(foreignKeyExtractor, "foreignKeyExtractor");
        Objects.requireNonNull(joiner, "joiner");
        Objects.requireNonNull(tableJoined, "tableJoined");
        KTableImpl<KO, VO> right = (KTableImpl<KO, VO>) other;
        InternalStreamsBuilder builder = left.builder();
        InternalTopologyBuilder topology = builder.topology();
        String base = tableJoined.name();

        // Kafka Streams' order of generated names, one index each unless the join is named.
        String subscriptionTopic =
                name(builder, base, "-subscription-registration", SUBSCRIPTION_REGISTRATION) + TOPIC_SUFFIX;
        String send = name(builder, base, "-subscription-registration-processor", SUBSCRIPTION_REGISTRATION);
        String subscriptionSink = name(builder, base, "-subscription-registration-sink", SINK);
        String subscriptionSource = name(builder, base, "-subscription-registration-source", SOURCE);
        String storeName = name(builder, base, "-subscription-store", STATE_STORE);
        String receive = name(builder, base, "-subscription-receive", SUBSCRIPTION_PROCESSOR);
        String joinForeign = name(builder, base, "-subscription-join-foreign", SUBSCRIPTION_PROCESSOR);
        String foreignJoin = name(builder, base, "-foreign-join-subscription", SUBSCRIPTION_PROCESSOR);
        String responseTopic = name(builder, base, "-subscription-response", SUBSCRIPTION_RESPONSE) + TOPIC_SUFFIX;
        String responseSink = name(builder, base, "-subscription-response-sink", SINK);
        String responseSource = name(builder, base, "-subscription-response-source", SOURCE);
        String resolver = name(builder, base, "-subscription-response-resolver", RESOLVER);
        String result = name(builder, base, "-result", OUTPUT);
        String resultStore = MaterializedInternal.storeName(materialized, builder, OUTPUT + "STATE-STORE-");

        Serde<K> keySerde = left.keySerde();
        Serde<V> valueSerde = left.valueSerde();
        Serde<KO> foreignKeySerde = right.keySerde();
        SubscriptionWrapperSerde<K> subscriptions = new SubscriptionWrapperSerde<>(keySerde);
        SubscriptionResponseWrapperSerde<VO> responses = new SubscriptionResponseWrapperSerde<>(right.valueSerde());
        String hashTopic = subscriptionTopic + "-vh";

        // Left side: subscribe, by foreign key.
        topology.markInternal(subscriptionTopic);
        ProcessorSupplier<K, Change<V>, KO, SubscriptionWrapper<K>> sender = () -> new SubscriptionSendProcessor<>(
                send, foreignKeyExtractor, foreignKeySerde, valueSerde, leftJoin, hashTopic);
        topology.addProcessor(send, sender, left.nodeName());
        StreamPartitioner<KO, Void> otherPartitioner = tableJoined.otherPartitioner();
        StreamPartitioner<KO, SubscriptionWrapper<K>> toForeignKey = otherPartitioner == null
                ? null
                // A left join's null foreign key has no partition of its own; the default spreads them.
                : (topic, foreignKey, value, n) ->
                        foreignKey == null ? null : otherPartitioner.partition(topic, foreignKey, null, n);
        topology.addSink(
                subscriptionSink,
                subscriptionTopic,
                null,
                serializer(foreignKeySerde),
                subscriptions.serializer(),
                toForeignKey,
                send);

        // Right side: keep the subscriptions, answer them, and answer every subscriber on a right change.
        topology.addSource(
                subscriptionSource,
                foreignKeySerde == null ? null : foreignKeySerde.deserializer(),
                subscriptions.deserializer(),
                List.of(subscriptionTopic));
        var store = Stores.timestampedKeyValueStoreBuilder(
                        Stores.persistentKeyValueStore(storeName), Serdes.ByteArray(), subscriptions)
                .withCachingDisabled();
        topology.addStateStore((StoreFactory) store);
        ProcessorSupplier<KO, SubscriptionWrapper<K>, KO, SubscriptionWrapper<K>> receiver =
                () -> new SubscriptionReceiveProcessor<>(
                        storeName,
                        new CombinedKeySchema<>(foreignKeySerde, keySerde, subscriptionTopic),
                        subscriptions);
        topology.addProcessor(receive, receiver, subscriptionSource);
        topology.connectProcessorAndStores(receive, storeName);
        KTableValueGetter.Supplier<KO, VO> foreignValues = right.valueGetterSupplier();
        ProcessorSupplier<KO, SubscriptionWrapper<K>, K, SubscriptionResponseWrapper<VO>> answer =
                () -> new SubscriptionJoinProcessor<>(foreignValues.get());
        topology.addProcessor(joinForeign, answer, receive);
        topology.connectProcessorAndStores(joinForeign, foreignValues.storeNames());
        ProcessorSupplier<KO, Change<VO>, K, SubscriptionResponseWrapper<VO>> fanOut =
                () -> new ForeignTableJoinProcessor<>(
                        storeName, new CombinedKeySchema<>(foreignKeySerde, keySerde, subscriptionTopic));
        topology.addProcessor(foreignJoin, fanOut, right.nodeName());
        topology.connectProcessorAndStores(foreignJoin, storeName);
        topology.requireCopartitioned(receive);

        // Back to the left row's partition: the task's, which the subscription carried, or the user's partitioner's.
        topology.markInternal(responseTopic);
        StreamPartitioner<K, Void> partitioner = tableJoined.partitioner();
        StreamPartitioner<K, SubscriptionResponseWrapper<VO>> toPrimaryKey = partitioner == null
                ? (topic, key, response, n) -> response.primaryPartition()
                : (topic, key, response, n) -> partitioner.partition(topic, key, null, n);
        topology.addSink(
                responseSink,
                responseTopic,
                null,
                serializer(keySerde),
                responses.serializer(),
                toPrimaryKey,
                joinForeign,
                foreignJoin);
        topology.addSource(
                responseSource,
                keySerde == null ? null : keySerde.deserializer(),
                responses.deserializer(),
                List.of(responseTopic));
        KTableValueGetter.Supplier<K, V> leftValues = left.valueGetterSupplier();
        ProcessorSupplier<K, SubscriptionResponseWrapper<VO>, K, VR> resolve =
                () -> new ResponseJoinProcessor<>(leftValues.get(), valueSerde, joiner, leftJoin, hashTopic);
        topology.addProcessor(resolver, resolve, responseSource);
        topology.connectProcessorAndStores(resolver, leftValues.storeNames());
        topology.requireCopartitioned(resolver);

        // The result, kept as a table is.
        Serde<K> resultKeys = MaterializedInternal.keySerde(materialized, keySerde);
        Serde<VR> resultValues = MaterializedInternal.valueSerde(materialized, null);
        ProcessorSupplier<K, VR, K, Change<VR>> table = () -> new KTableSource<>(result, resultStore, true);
        topology.addProcessor(result, table, resolver);
        var resultBuilder = MaterializedInternal.storeBuilder(materialized, resultStore, resultKeys, resultValues);
        topology.addStateStore((StoreFactory) resultBuilder, result);
        return new KTableImpl<>(
                builder, result, resultKeys, resultValues, resultStore, MaterializedInternal.queryable(materialized));
    }

    /** {@code base + suffix} for a named join, else a generated name with {@code prefix}. */
    private static String name(InternalStreamsBuilder builder, String base, String suffix, String prefix) {
        return base != null ? base + suffix : builder.newName(prefix);
    }

    private static <T> Serializer<T> serializer(Serde<T> serde) {
        return serde == null ? null : serde.serializer();
    }

    /** The serializer of the left values the join hashes: the table's value serde, or the application's default. */
    @SuppressWarnings("unchecked")
    static <V> Serializer<V> hashSerializer(Serde<V> valueSerde, ProcessorContext<?, ?> context) {
        return (Serializer<V>) (valueSerde != null ? valueSerde : context.valueSerde()).serializer();
    }
}
