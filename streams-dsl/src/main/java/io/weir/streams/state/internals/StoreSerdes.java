package io.weir.streams.state.internals;

import io.weir.common.serialization.Serde;

/**
 * The one {@link Serde} users see, as the state-store module's byte codec: the store orders keys by the bytes the
 * user's serde writes, as Kafka Streams' RocksDB stores do, and the serde is told the changelog topic's name.
 */
final class StoreSerdes {
    private StoreSerdes() {}

    static <T> io.weir.state.Serde<T> adapt(Serde<T> serde, String topic) {
        return new io.weir.state.Serde<>() {
            @Override
            public byte[] serialize(T value) {
                return value == null ? null : serde.serializer().serialize(topic, value);
            }

            @Override
            public T deserialize(byte[] bytes) {
                return bytes == null ? null : serde.deserializer().deserialize(topic, bytes);
            }
        };
    }
}
