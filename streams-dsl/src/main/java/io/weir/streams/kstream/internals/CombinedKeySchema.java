package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.processor.api.ProcessorContext;
import java.nio.ByteBuffer;

/**
 * The key of a foreign-key join's subscription store: {@code {foreign key length, 4 bytes}{foreign key}{primary
 * key}}, as Kafka Streams' {@code CombinedKeySchema}, so that every subscriber of one foreign key is one prefix scan
 * (the length keeps one foreign key from being a prefix of another). Serdes are the tables' or the application's
 * defaults, resolved by {@link #init} on the task's thread; one instance per processor instance.
 */
final class CombinedKeySchema<KO, K> {
    private final Serde<KO> foreignKeySerde;
    private final Serde<K> primaryKeySerde;
    private final String topic;
    private Serializer<KO> foreignKeys;
    private Serializer<K> primaryKeys;

    /** @param topic the topic the serializers are told (the subscription topic) */
    CombinedKeySchema(Serde<KO> foreignKeySerde, Serde<K> primaryKeySerde, String topic) {
        this.foreignKeySerde = foreignKeySerde;
        this.primaryKeySerde = primaryKeySerde;
        this.topic = topic;
    }

    @SuppressWarnings("unchecked")
    void init(ProcessorContext<?, ?> context) {
        foreignKeys = (Serializer<KO>) (foreignKeySerde != null ? foreignKeySerde : context.keySerde()).serializer();
        primaryKeys = (Serializer<K>) (primaryKeySerde != null ? primaryKeySerde : context.keySerde()).serializer();
    }

    byte[] toBytes(KO foreignKey, K primaryKey) {
        byte[] fk = foreignKeys.serialize(topic, foreignKey);
        byte[] pk = primaryKeys.serialize(topic, primaryKey);
        return ByteBuffer.allocate(4 + fk.length + pk.length)
                .putInt(fk.length)
                .put(fk)
                .put(pk)
                .array();
    }

    /** The prefix every key of {@code foreignKey}'s subscribers starts with. */
    byte[] prefix(KO foreignKey) {
        byte[] fk = foreignKeys.serialize(topic, foreignKey);
        return ByteBuffer.allocate(4 + fk.length).putInt(fk.length).put(fk).array();
    }
}
