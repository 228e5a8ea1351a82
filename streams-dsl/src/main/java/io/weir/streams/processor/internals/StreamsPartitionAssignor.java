package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.ToIntFunction;

/**
 * The assignor of a streams application's group. It assigns <em>tasks</em>, not partitions: the partitions of
 * every subscribed topic are grouped by the task that reads them (the sub-topology reading the topic, and the
 * partition number), and each task goes whole to one member, so partition p of every topic a task reads lands
 * together even where the topics' partition counts differ. Tasks, ordered by sub-topology then partition, are dealt
 * to the members in turn (ordered by {@code group.instance.id}, then member id), which spreads every sub-topology
 * evenly. A member that asks the application to shut down gets no task. On top of that, each member tells the group
 * its {@code application.server} and whether it asks every instance to shut down, and the leader hands every member
 * the map of which endpoint owns which partitions and the shutdown request, which the member's {@link GroupState}
 * keeps for the metadata calls and the runtime.
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
        private final ToIntFunction<String> subtopologyReading;
        private volatile boolean shutdownRequested;
        private volatile boolean shutdownReceived;
        private volatile Map<String, Set<TopicPartition>> partitionsByEndpoint = Map.of();

        /**
         * @param subtopologyReading the sub-topology that reads a topic, or -1 (the topology's
         *                           {@code InternalTopologyBuilder.subtopologyReading})
         */
        public GroupState(String endpoint, ToIntFunction<String> subtopologyReading) {
            this.endpoint = endpoint == null ? "" : endpoint;
            this.subtopologyReading = subtopologyReading;
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

    private GroupState state = new GroupState("", topic -> 0);

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
        boolean shutdown = false;
        Map<String, String> endpoints = new HashMap<>();
        List<String> workers = new ArrayList<>();
        for (Map.Entry<String, Subscription> member :
                subscriptions.groupSubscription().entrySet()) {
            boolean asksShutdown = false;
            ByteBuffer data = member.getValue().userData();
            if (data != null && data.remaining() >= 9) {
                ByteBuffer in = data.duplicate();
                if (in.getInt() == VERSION) {
                    asksShutdown = in.get() == 1;
                    endpoints.put(member.getKey(), readString(in));
                }
            }
            shutdown |= asksShutdown;
            if (!asksShutdown) {
                workers.add(member.getKey());
            }
        }
        workers.sort(Comparator.comparing((String id) -> Objects.toString(
                        subscriptions.groupSubscription().get(id).groupInstanceId(), "\uffff"))
                .thenComparing(id -> id));
        Map<String, List<TopicPartition>> plan = new HashMap<>();
        subscriptions.groupSubscription().keySet().forEach(id -> plan.put(id, new ArrayList<>()));
        int next = 0;
        for (List<TopicPartition> task :
                tasks(partitionsPerTopic, subscriptions).values()) {
            if (workers.isEmpty()) {
                break;
            }
            plan.get(workers.get(next++ % workers.size())).addAll(task);
        }
        Map<String, Set<TopicPartition>> byEndpoint = new HashMap<>();
        plan.forEach((member, partitions) -> {
            String endpoint = endpoints.getOrDefault(member, "");
            if (!endpoint.isEmpty() && !partitions.isEmpty()) {
                byEndpoint.computeIfAbsent(endpoint, e -> new LinkedHashSet<>()).addAll(partitions);
            }
        });
        ByteBuffer shared = encodeAssignment(shutdown, byEndpoint);
        Map<String, Assignment> out = new HashMap<>();
        plan.forEach((member, partitions) -> out.put(member, new Assignment(partitions, shared.duplicate())));
        return new GroupAssignment(out);
    }

    /** A task: a sub-topology and a partition; a topic no sub-topology reads makes tasks of its own, last. */
    private record TaskKey(int subtopology, int partition, String orphanTopic) implements Comparable<TaskKey> {
        @Override
        public int compareTo(TaskKey other) {
            int c = Integer.compare(subtopology, other.subtopology);
            c = c != 0 ? c : Integer.compare(partition, other.partition);
            return c != 0 ? c : orphanTopic.compareTo(other.orphanTopic);
        }
    }

    /** The partitions of the subscribed topics grouped by task, ordered by sub-topology then partition. */
    private Map<TaskKey, List<TopicPartition>> tasks(
            Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
        Set<String> subscribed = new TreeSet<>();
        subscriptions.groupSubscription().values().forEach(sub -> subscribed.addAll(sub.topics()));
        Map<TaskKey, List<TopicPartition>> tasks = new TreeMap<>();
        for (String topic : subscribed) {
            Integer count = partitionsPerTopic.get(topic);
            if (count == null) {
                continue;
            }
            int subtopology = state.subtopologyReading.applyAsInt(topic);
            for (int p = 0; p < count; p++) {
                TaskKey task =
                        subtopology >= 0 ? new TaskKey(subtopology, p, "") : new TaskKey(Integer.MAX_VALUE, p, topic);
                tasks.computeIfAbsent(task, k -> new ArrayList<>()).add(new TopicPartition(topic, p));
            }
        }
        return tasks;
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
