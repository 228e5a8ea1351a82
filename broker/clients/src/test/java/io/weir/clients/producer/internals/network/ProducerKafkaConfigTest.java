package io.weir.clients.producer.internals.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.producer.Partitioner;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.UniformStickyPartitioner;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** How a Weir producer config becomes kafka-clients' properties; no broker. */
class ProducerKafkaConfigTest {
    @Test
    void producerConfigKeepsKafkaKeysAndDropsWeirOnlyOnes() {
        Map<String, Object> given = new HashMap<>();
        given.put("bootstrap.servers", "a:1,b:2");
        given.put("acks", "1");
        given.put("linger.ms", 7);
        given.put("socket.connection.setup.timeout.ms", 1234); // Kafka-only: passes through
        given.put("weir.something", "x"); // neither knows it: dropped
        given.put("key.serializer", "io.weir.common.serialization.StringSerializer");
        Map<String, Object> kafka = ProducerKafkaConfig.producer(ProducerConfig.from(given));
        assertEquals("a:1,b:2", kafka.get("bootstrap.servers"));
        assertEquals("1", kafka.get("acks"));
        assertEquals(7L, kafka.get("linger.ms"));
        assertEquals(1234, kafka.get("socket.connection.setup.timeout.ms"));
        assertFalse(kafka.containsKey("weir.something"));
        assertFalse(kafka.containsKey("key.serializer"), "serializers are passed as adapted instances");
    }

    @Test
    void uniformStickyPartitionerIsKafkasBuiltInWithKeysIgnored() {
        Map<String, Object> kafka = ProducerKafkaConfig.producer(ProducerConfig.from(
                Map.of("bootstrap.servers", "a:1", "partitioner.class", UniformStickyPartitioner.class.getName())));
        assertFalse(kafka.containsKey("partitioner.class"), "Kafka's built-in partitioner");
        assertEquals(true, kafka.get("partitioner.ignore.keys"));
    }

    @Test
    void partitionerNeedingOnNewBatchIsRefused() {
        InvalidConfigurationException refused = assertThrows(
                InvalidConfigurationException.class,
                () -> ProducerKafkaConfig.producer(ProducerConfig.from(
                        Map.of("bootstrap.servers", "a:1", "partitioner.class", MovesOnNewBatch.class.getName()))));
        assertTrue(refused.getMessage().contains("onNewBatch"), refused.getMessage());
    }

    /** A partitioner that relies on onNewBatch. */
    public static final class MovesOnNewBatch implements Partitioner {
        @Override
        public int partition(
                String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, int numPartitions) {
            return 0;
        }

        @Override
        public void onNewBatch(String topic, int previousPartition, int numPartitions) {}
    }
}
