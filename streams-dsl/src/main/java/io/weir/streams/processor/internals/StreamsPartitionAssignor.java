package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.RangeAssignor;
import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The assignor of a streams application's group: partitions are given as {@code range} gives them, so that partition
 * p of every topic a task reads lands on one member (the co-partitioning tasks need); on top of that, each member
 * tells the group its {@code application.server} and whether it asks every instance to shut down, and the leader
 * hands every member the map of which endpoint owns which partitions and the shutdown request, which the member's
 * {@link GroupState} keeps for the metadata calls and the runtime.
 *
 * <p>Wire layout (Weir's own, version 1). Subscription: version int, shutdown byte, endpoint string. Assignment:
 * version int, shutdown byte, endpoint count int, then per endpoint its string, a partition count int and that many
 * (topic string, partition int). Strings are an int length and UTF-8 bytes.
 */
public final class StreamsPartitionAssignor implements ConsumerPartitionAssignor {
    public static final String NAME = "weir-streams";
    /** The consumer setting that carries the {@link GroupState} of the instance (an object, not a string). */
    public static final String GROUP_STATE_CONFIG = "__weir.streams.group.state__";

    private static final int VERSION = 1;

    /** What an instance learns from its group's assignments; shared by its threads' assignors. Thread-safe. */
    public static final class GroupState {
        private final String endpoint;
        private volatile boolean shutdownRequested;
        private volatile boolean shutdownReceived;
        private volatile Map<String, Set<TopicPartition>> partitionsByEndpoint = Map.of();

        public GroupState(String endpoint) {
            this.endpoint = endpoint == null ? "" : endpoint;
        }

        /** This instance asks every instance of the application to shut down at the next rebalance. */
        public void requestShutdown() {
            shutdownRequested = true;
        }

        /** Whether an assignment carried a shutdown request of any instance. */
        public boolean shutdownReceived() {
            return shutdownReceived;
        }

        /** The partitions each instance with an {@code application.server} owns, as of the last assignment. */
        public Map<String, Set<TopicPartition>> partitionsByEndpoint() {
            return partitionsByEndpoint;
        }
    }

    private final RangeAssignor range = new RangeAssignor();
    private GroupState state = new GroupState("");

    public StreamsPartitionAssignor() {}

    @Override
    public void configure(Map<String, ?> configs) {
        Object given = configs.get(GROUP_STATE_CONFIG);
        if (given instanceof GroupState groupState) {
            this.state = groupState;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public ByteBuffer subscriptionUserData(Set<String> topics) {
        byte[] endpoint = state.endpoint.getBytes(StandardCharsets.UTF_8);
        ByteBuffer buffer = ByteBuffer.allocate(4 + 1 + 4 + endpoint.length);
        buffer.putInt(VERSION)
                .put((byte) (state.shutdownRequested ? 1 : 0))
                .putInt(endpoint.length)
                .put(endpoint);
        return buffer.flip();
    }

    @Override
    public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        GroupAssignment plan = range.assign(partitionsPerTopic, subscriptions);
        boolean shutdown = false;
        Map<String, Set<TopicPartition>> byEndpoint = new HashMap<>();
        for (Map.Entry<String, Subscription> member :
                subscriptions.groupSubscription().entrySet()) {
            ByteBuffer data = member.getValue().userData();
            if (data == null || data.remaining() < 9) {
                continue;
            }
            ByteBuffer in = data.duplicate();
            if (in.getInt() != VERSION) {
                continue;
            }
            shutdown |= in.get() == 1;
            String endpoint = readString(in);
            Assignment assigned = plan.groupAssignment().get(member.getKey());
            if (!endpoint.isEmpty() && assigned != null) {
                byEndpoint.computeIfAbsent(endpoint, e -> new LinkedHashSet<>()).addAll(assigned.partitions());
            }
        }
        ByteBuffer shared = encodeAssignment(shutdown, byEndpoint);
        Map<String, Assignment> out = new HashMap<>();
        plan.groupAssignment()
                .forEach((member, a) -> out.put(member, new Assignment(a.partitions(), shared.duplicate())));
        return new GroupAssignment(out);
    }

    @Override
    public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
        ByteBuffer data = assignment.userData();
        if (data == null || data.remaining() < 9) {
            return;
        }
        ByteBuffer in = data.duplicate();
        if (in.getInt() != VERSION) {
            return;
        }
        boolean shutdown = in.get() == 1;
        int endpoints = in.getInt();
        Map<String, Set<TopicPartition>> byEndpoint = new HashMap<>();
        for (int i = 0; i < endpoints; i++) {
            String endpoint = readString(in);
            int count = in.getInt();
            Set<TopicPartition> partitions = new LinkedHashSet<>();
            for (int j = 0; j < count; j++) {
                partitions.add(new TopicPartition(readString(in), in.getInt()));
            }
            byEndpoint.put(endpoint, Set.copyOf(partitions));
        }
        state.partitionsByEndpoint = Map.copyOf(byEndpoint);
        if (shutdown) {
            state.shutdownReceived = true;
        }
    }

    private static ByteBuffer encodeAssignment(boolean shutdown, Map<String, Set<TopicPartition>> byEndpoint) {
        List<byte[]> parts = new ArrayList<>();
        int size = 4 + 1 + 4;
        for (Map.Entry<String, Set<TopicPartition>> e : byEndpoint.entrySet()) {
            byte[] endpoint = e.getKey().getBytes(StandardCharsets.UTF_8);
            parts.add(endpoint);
            size += 4 + endpoint.length + 4;
            for (TopicPartition tp : e.getValue()) {
                size += 4 + tp.topic().getBytes(StandardCharsets.UTF_8).length + 4;
            }
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putInt(VERSION).put((byte) (shutdown ? 1 : 0)).putInt(byEndpoint.size());
        int i = 0;
        for (Map.Entry<String, Set<TopicPartition>> e : byEndpoint.entrySet()) {
            byte[] endpoint = parts.get(i++);
            out.putInt(endpoint.length).put(endpoint).putInt(e.getValue().size());
            for (TopicPartition tp : e.getValue()) {
                byte[] topic = tp.topic().getBytes(StandardCharsets.UTF_8);
                out.putInt(topic.length).put(topic).putInt(tp.partition());
            }
        }
        return out.flip();
    }

    private static String readString(ByteBuffer in) {
        byte[] bytes = new byte[in.getInt()];
        in.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
