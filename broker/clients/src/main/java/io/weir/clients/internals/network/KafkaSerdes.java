package io.weir.clients.internals.network;

import io.weir.clients.internals.Serialization;
import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serializer;
import java.util.Map;

/**
 * Weir serializers and deserializers seen as Kafka's. The Weir instance is configured before it is wrapped (by
 * the network client, as Weir's own clients do), so {@code configure} here does nothing; {@code close} closes it
 * when the Kafka client closes. Thread-safety is the wrapped instance's.
 */
public final class KafkaSerdes {
    private KafkaSerdes() {}

    /**
     * {@code weir} as Kafka's serializer of record {@code what}s ("key" or "value"); any exception it throws other
     * than a {@link SerializationException} becomes one naming the topic, as Weir's producer reports it.
     */
    public static <T> org.apache.kafka.common.serialization.Serializer<T> kafka(Serializer<T> weir, String what) {
        return new org.apache.kafka.common.serialization.Serializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {}

            @Override
            public byte[] serialize(String topic, T data) {
                return Serialization.serialize(weir, topic, data, what);
            }

            @Override
            public void close() {
                closeQuietly(weir);
            }
        };
    }

    public static <T> org.apache.kafka.common.serialization.Deserializer<T> kafka(Deserializer<T> weir) {
        return new org.apache.kafka.common.serialization.Deserializer<>() {
            @Override
            public void configure(Map<String, ?> configs, boolean isKey) {}

            @Override
            public T deserialize(String topic, byte[] data) {
                return weir.deserialize(topic, data);
            }

            @Override
            public void close() {
                closeQuietly(weir);
            }
        };
    }

    private static void closeQuietly(AutoCloseable closeable) {
        try {
            closeable.close();
        } catch (Exception e) {
            throw KafkaErrors.translate(e);
        }
    }
}
