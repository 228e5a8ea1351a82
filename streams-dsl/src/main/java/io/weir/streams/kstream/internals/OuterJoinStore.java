package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serializer;
import io.weir.streams.state.KeyValueBytesStoreSupplier;
import io.weir.streams.state.StoreBuilder;
import io.weir.streams.state.Stores;
import io.weir.streams.state.internals.ManagedStore;
import io.weir.streams.state.internals.StoreContext;
import io.weir.streams.state.internals.StoreFactory;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The store a left or outer stream-stream join keeps its not-yet-joined records in until their windows close (Kafka
 * Streams' {@code <name>-outer-shared-join-store}, shared by both sides of the join). A key-value store whose keys
 * are {@code [timestamp][side][key]}, so that iterating it walks the records oldest first; a value is the list of one
 * side's values with that key and timestamp (duplicates are kept). Never cached; changelogged like any store unless
 * logging is off, so the exactly-once commit covers it.
 */
final class OuterJoinStore implements StoreFactory {

    /** Where a record waits: its timestamp, its side, its key. */
    record Key<K>(long timestamp, boolean leftSide, K key) {}

    /** The values of one side waiting under one key and timestamp, in arrival order. */
    record Values(boolean leftSide, List<Object> values) {
        Values append(Object value) {
            List<Object> more = new ArrayList<>(values);
            more.add(value);
            return new Values(leftSide, List.copyOf(more));
        }
    }

    private final String name;
    private final boolean persistent;
    private final boolean logging;
    private final Map<String, String> logConfig;
    private final Serde<?> keySerde;
    private final Serde<?> leftSerde;
    private final Serde<?> rightSerde;

    /** Serdes left null are the application's defaults, looked up when a task opens the store. */
    OuterJoinStore(
            String name,
            boolean persistent,
            boolean logging,
            Map<String, String> logConfig,
            Serde<?> keySerde,
            Serde<?> leftSerde,
            Serde<?> rightSerde) {
        this.name = name;
        this.persistent = persistent;
        this.logging = logging;
        this.logConfig = Map.copyOf(logConfig);
        this.keySerde = keySerde;
        this.leftSerde = leftSerde;
        this.rightSerde = rightSerde;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public boolean loggingEnabled() {
        return logging;
    }

    @Override
    public Map<String, String> logConfig() {
        return logConfig;
    }

    @Override
    public boolean persistent() {
        return persistent;
    }

    @Override
    @SuppressWarnings({"unchecked", "rawtypes"})
    public ManagedStore open(StoreContext context) {
        Serde keys = keySerde != null ? keySerde : context.defaultKeySerde().get();
        Serde left = leftSerde != null ? leftSerde : context.defaultValueSerde().get();
        Serde right =
                rightSerde != null ? rightSerde : context.defaultValueSerde().get();
        KeyValueBytesStoreSupplier supplier =
                persistent ? Stores.persistentKeyValueStore(name) : Stores.inMemoryKeyValueStore(name);
        StoreBuilder<?> builder =
                Stores.keyValueStoreBuilder(supplier, new KeySerde<>(keys), new ValuesSerde(left, right));
        builder.withCachingDisabled();
        if (logging) {
            builder.withLoggingEnabled(logConfig);
        } else {
            builder.withLoggingDisabled();
        }
        return ((StoreFactory) builder).open(context);
    }

    /**
     * {@code [timestamp: 8, big-endian with the sign bit flipped][side: 1, left 1][key bytes]}: byte order is time
     * order, whatever the key serde writes.
     */
    private record KeySerde<K>(Serde<K> keys) implements Serde<Key<K>> {
        @Override
        public Serializer<Key<K>> serializer() {
            return (topic, key) -> {
                byte[] k = keys.serializer().serialize(topic, key.key());
                return ByteBuffer.allocate(Long.BYTES + 1 + k.length)
                        .putLong(key.timestamp() ^ Long.MIN_VALUE)
                        .put((byte) (key.leftSide() ? 1 : 0))
                        .put(k)
                        .array();
            };
        }

        @Override
        public Deserializer<Key<K>> deserializer() {
            return (topic, bytes) -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                long timestamp = b.getLong() ^ Long.MIN_VALUE;
                boolean left = b.get() == 1;
                byte[] k = new byte[b.remaining()];
                b.get(k);
                return new Key<>(timestamp, left, keys.deserializer().deserialize(topic, k));
            };
        }
    }

    /** {@code [side: 1][count: 4] then [length: 4][value bytes] per value}, each value in its side's serde. */
    private record ValuesSerde(Serde<Object> left, Serde<Object> right) implements Serde<Values> {
        @Override
        public Serializer<Values> serializer() {
            return (topic, values) -> {
                Serializer<Object> s = (values.leftSide() ? left : right).serializer();
                List<byte[]> encoded = new ArrayList<>(values.values().size());
                int size = 1 + Integer.BYTES;
                for (Object value : values.values()) {
                    byte[] bytes = s.serialize(topic, value);
                    encoded.add(bytes);
                    size += Integer.BYTES + bytes.length;
                }
                ByteBuffer b = ByteBuffer.allocate(size)
                        .put((byte) (values.leftSide() ? 1 : 0))
                        .putInt(encoded.size());
                encoded.forEach(bytes -> b.putInt(bytes.length).put(bytes));
                return b.array();
            };
        }

        @Override
        public Deserializer<Values> deserializer() {
            return (topic, bytes) -> {
                ByteBuffer b = ByteBuffer.wrap(bytes);
                boolean leftSide = b.get() == 1;
                Deserializer<Object> d = (leftSide ? left : right).deserializer();
                int count = b.getInt();
                List<Object> values = new ArrayList<>(count);
                for (int i = 0; i < count; i++) {
                    byte[] value = new byte[b.getInt()];
                    b.get(value);
                    values.add(d.deserialize(topic, value));
                }
                return new Values(leftSide, values);
            };
        }
    }
}
