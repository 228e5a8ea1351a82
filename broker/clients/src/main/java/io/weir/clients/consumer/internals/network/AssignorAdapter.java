package io.weir.clients.consumer.internals.network;

import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.internals.network.Convert;
import io.weir.common.errors.InvalidConfigurationException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.common.Cluster;
import org.apache.kafka.common.Configurable;

/**
 * A Weir {@link ConsumerPartitionAssignor} running inside kafka-clients' {@code KafkaConsumer} (classic group
 * protocol). Kafka instantiates assignors by class name, so this class is named in
 * {@code partition.assignment.strategy} and finds the Weir instance, already configured, under
 * {@link #INSTANCE_CONFIG} in the configs Kafka passes to {@link #configure}. Subscriptions, assignments and their
 * user data (Weir streams' task assignment travels there) are copied field for field; the Weir assignor sees the
 * partition counts of the subscribed topics, as Weir's own consumer gives them.
 *
 * <p>Inside this class the simple names {@code Subscription}, {@code Assignment}, {@code GroupSubscription} and
 * {@code GroupAssignment} are Kafka's (inherited); Weir's are written {@code ConsumerPartitionAssignor.X}.
 *
 * <p>Public only because Kafka loads it reflectively. Called on the consumer's thread, like the assignor it wraps.
 */
public final class AssignorAdapter
        implements org.apache.kafka.clients.consumer.ConsumerPartitionAssignor, Configurable {
    /** Where {@link ConsumerKafkaConfig} puts the configured Weir assignor. */
    static final String INSTANCE_CONFIG = "weir.network.assignor.instance";

    private ConsumerPartitionAssignor weir;

    public AssignorAdapter() {}

    @Override
    public void configure(Map<String, ?> configs) {
        Object instance = configs.get(INSTANCE_CONFIG);
        if (!(instance instanceof ConsumerPartitionAssignor assignor)) {
            throw new InvalidConfigurationException(AssignorAdapter.class.getName() + " needs a Weir "
                    + "ConsumerPartitionAssignor under " + INSTANCE_CONFIG + "; Weir's network consumer sets it");
        }
        this.weir = assignor;
    }

    @Override
    public String name() {
        return weir.name();
    }

    @Override
    public List<RebalanceProtocol> supportedProtocols() {
        List<RebalanceProtocol> out = new ArrayList<>();
        weir.supportedProtocols().forEach(p -> out.add(RebalanceProtocol.valueOf(p.name())));
        return out;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        return weir.subscriptionUserData(topics);
    }

    @Override
    public GroupAssignment assign(Cluster metadata, GroupSubscription subscriptions) {
        Map<String, ConsumerPartitionAssignor.Subscription> members = new HashMap<>();
        Map<String, Integer> partitionsPerTopic = new HashMap<>();
        subscriptions.groupSubscription().forEach((memberId, s) -> {
            members.put(
                    memberId,
                    new ConsumerPartitionAssignor.Subscription(
                            s.topics(),
                            s.userData(),
                            List.copyOf(Convert.weir(s.ownedPartitions())),
                            s.groupInstanceId().orElse(null),
                            s.generationId().orElse(-1)));
            for (String topic : s.topics()) {
                Integer count = metadata.partitionCountForTopic(topic);
                if (count != null) {
                    partitionsPerTopic.put(topic, count);
                }
            }
        });
        Map<String, Assignment> out = new HashMap<>();
        weir.assign(partitionsPerTopic, new ConsumerPartitionAssignor.GroupSubscription(members))
                .groupAssignment()
                .forEach((memberId, a) ->
                        out.put(memberId, new Assignment(Convert.kafka(a.partitions()), a.userData())));
        return new GroupAssignment(out);
    }

    @Override
    public void onAssignment(Assignment assignment, org.apache.kafka.clients.consumer.ConsumerGroupMetadata metadata) {
        weir.onAssignment(
                new ConsumerPartitionAssignor.Assignment(
                        List.copyOf(Convert.weir(assignment.partitions())), assignment.userData()),
                ConsumerConvert.weir(metadata));
    }
}
