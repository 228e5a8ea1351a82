package io.weir.streams;

import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.Serializer;
import io.weir.state.KryoSerde;

/**
 * Serdes for the application's own types, on Kryo, as the {@code Serde} the DSL takes: where {@code Serdes} (Kafka's
 * serdes for strings, numbers and bytes) has nothing for a class, register it here. Kryo needs every class that can
 * appear in a value registered, in an order that must not change between runs (the ids are in the stored bytes);
 * the serde pools its Kryo instances, so it is thread-safe.
 *
 * <pre>{@code
 * Serde<Order> orders = KryoSerdes.kryo(Order.class, Order.class, Item.class);
 * builder.stream("orders", Consumed.with(Serdes.String(), orders));
 * }</pre>
 */
public final class KryoSerdes {
    private KryoSerdes() {}

    /** A serde of {@code type}, with {@code registered} registered in that order. */
    public static <T> Serde<T> kryo(Class<T> type, Class<?>... registered) {
        KryoSerde.Builder<T> builder = KryoSerde.builder(type);
        for (Class<?> c : registered) {
            builder.register(c);
        }
        return kryo(builder.build());
    }

    /** The DSL's serde over a state-store {@link KryoSerde} built with registrars or a pool size of its own. */
    public static <T> Serde<T> kryo(KryoSerde<T> kryo) {
        Serializer<T> serializer = (topic, value) -> value == null ? null : kryo.serialize(value);
        Deserializer<T> deserializer = (topic, bytes) -> bytes == null ? null : kryo.deserialize(bytes);
        return Serdes.serdeFrom(serializer, deserializer);
    }
}
