package io.weir.clients.producer.internals.network;

import io.weir.clients.producer.Partitioner;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.Map;
import org.apache.kafka.common.Cluster;

/**
 * A Weir {@link Partitioner} (other than the default, which is Kafka's own algorithm) running inside kafka-clients'
 * {@code KafkaProducer}, which instantiates partitioners by class: the configured Weir instance arrives under
 * {@link #INSTANCE_CONFIG}. Public only because Kafka loads it reflectively; thread-safety is the wrapped
 * partitioner's, as in Weir's producer.
 */
public final class PartitionerAdapter implements org.apache.kafka.clients.producer.Partitioner {
    /** Where {@link ProducerKafkaConfig} puts the configured Weir partitioner. */
    static final String INSTANCE_CONFIG = "weir.network.partitioner.instance";

    private Partitioner weir;

    public PartitionerAdapter() {}

    @Override
    public void configure(Map<String, ?> configs) {
        Object instance = configs.get(INSTANCE_CONFIG);
        if (!(instance instanceof Partitioner partitioner)) {
            throw new InvalidConfigurationException(PartitionerAdapter.class.getName() + " needs a Weir Partitioner "
                    + "under " + INSTANCE_CONFIG + "; Weir's network producer sets it");
        }
        this.weir = partitioner;
    }

    @Override
    public int partition(String topic, Object key, byte[] keyBytes, Object value, byte[] valueBytes, Cluster cluster) {
        return weir.partition(topic, key, keyBytes, value, valueBytes, cluster.partitionCountForTopic(topic));
    }

    @Override
    public void close() {
        weir.close();
    }
}
