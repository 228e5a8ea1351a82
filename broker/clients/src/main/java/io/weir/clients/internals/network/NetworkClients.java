package io.weir.clients.internals.network;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AdminConfig;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerConfig;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serializer;
import io.weir.common.transport.Transports;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Chooses between Weir's in-process clients and the network ones: {@code bootstrap.servers} of
 * {@code host:port} entries selects the network implementations, which are kafka-clients' {@code KafkaProducer},
 * {@code KafkaConsumer} and {@code Admin} behind Weir's interfaces; {@code embedded:<name>} entries keep the
 * in-process clients. A list mixing both is refused, since no client could honour it.
 *
 * <p>Stateless and thread-safe.
 */
public final class NetworkClients {
    private NetworkClients() {}

    /**
     * @return true when every entry is a network address
     * @throws InvalidConfigurationException if the list mixes embedded and network entries
     */
    public static boolean selects(List<String> bootstrapServers) {
        long embedded = bootstrapServers.stream()
                .filter(s -> s.startsWith(Transports.EMBEDDED_PREFIX))
                .count();
        if (embedded == 0) {
            return true;
        }
        if (embedded < bootstrapServers.size()) {
            throw new InvalidConfigurationException("Invalid bootstrap.servers=" + bootstrapServers + ": it mixes "
                    + "embedded brokers (" + Transports.EMBEDDED_PREFIX + "<name>) with network addresses "
                    + "(host:port); a client reaches one or the other");
        }
        return false;
    }

    /** A producer backed by kafka-clients' {@code KafkaProducer}; null serializers come from the config. */
    public static <K, V> Producer<K, V> producer(
            ProducerConfig config, Serializer<K> keySerializer, Serializer<V> valueSerializer) {
        return new NetworkProducer<>(config, keySerializer, valueSerializer);
    }

    /** A consumer backed by kafka-clients' {@code KafkaConsumer}; null deserializers come from the config. */
    public static <K, V> Consumer<K, V> consumer(
            ConsumerConfig config, Deserializer<K> keyDeserializer, Deserializer<V> valueDeserializer) {
        return new NetworkConsumer<>(config, keyDeserializer, valueDeserializer);
    }

    /**
     * An admin client backed by kafka-clients' {@code Admin}.
     *
     * @param originals the keys as the user gave them; those Kafka's admin knows pass through
     */
    public static Admin admin(AdminConfig config, Map<?, ?> originals) {
        Map<String, Object> keys = new HashMap<>();
        originals.forEach((k, v) -> keys.put(String.valueOf(k), v));
        return new NetworkAdmin(config, keys);
    }
}
