package io.weir.peer;

import static io.weir.peer.Clients.pollUntil;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.ConsumerPartitionAssignor;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.OffsetAndTimestamp;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicReference;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;

/**
 * More consumer behaviour for both implementations (see {@link ClientBehaviour}): cooperative rebalancing, a
 * custom assignor carrying user data (streams' kind), pattern subscriptions, pause and resume, asynchronous
 * commits, lookups by time, and deserializers named in config.
 */
abstract class GroupBehaviour {
    private String name;

    abstract Clients clients();

    @BeforeEach
    void name(TestInfo test) {
        name = getClass().getSimpleName() + "-"
                + test.getTestMethod().orElseThrow().getName();
    }

    @Test
    void cooperativeRebalanceRevokesOnlyThePartitionThatMoves() throws Exception {
        clients().createTopic(name, 2);
        List<Collection<TopicPartition>> revoked = new CopyOnWriteArrayList<>();
        Map<String, Object> cooperative =
                Map.of("group.id", name, "partition.assignment.strategy", "cooperative-sticky");
        try (Consumer<String, String> first = clients().consumer(cooperative);
                Consumer<String, String> second = clients().consumer(cooperative)) {
            Clients.secondMemberJoins(first, second, name, listener(revoked));
            Set<TopicPartition> moved = second.assignment();
            List<Collection<TopicPartition>> nonEmpty = new ArrayList<>();
            revoked.stream().filter(r -> !r.isEmpty()).forEach(nonEmpty::add);
            assertEquals(List.of(List.copyOf(moved)), nonEmpty, "only the moved partition is revoked");
        }
    }

    @Test
    void customAssignorDecidesAndItsUserDataTravels() throws Exception {
        clients().createTopic(name, 3);
        Map<String, Object> props = new HashMap<>();
        props.put("group.id", name);
        props.put("partition.assignment.strategy", AllToOne.class.getName());
        try (Consumer<String, String> consumer = clients().consumer(props)) {
            consumer.subscribe(List.of(name));
            Clients.await(
                    "the custom assignment",
                    () -> consumer.assignment().size() == 3,
                    () -> consumer.poll(Duration.ofMillis(50)));
            assertEquals("all-to-one:" + name, AllToOne.received.get());
        }
    }

    @Test
    void patternSubscriptionReadsEveryMatchingTopic() throws Exception {
        clients().createTopic(name + "-a", 1);
        clients().createTopic(name + "-b", 1);
        send(name + "-a", 1);
        send(name + "-b", 1);
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name))) {
            consumer.subscribe(Pattern.compile(Pattern.quote(name) + "-.*"));
            Set<String> topics = new java.util.TreeSet<>();
            pollUntil(consumer, 2).forEach(r -> topics.add(r.topic()));
            assertEquals(Set.of(name + "-a", name + "-b"), topics);
        }
    }

    @Test
    void pausedPartitionsYieldNothingUntilResumed() throws Exception {
        clients().createTopic(name, 1);
        send(name, 3);
        TopicPartition tp = new TopicPartition(name, 0);
        try (Consumer<String, String> consumer = clients().consumer(Map.of())) {
            consumer.assign(List.of(tp));
            consumer.pause(List.of(tp));
            assertEquals(Set.of(tp), consumer.paused());
            assertTrue(consumer.poll(Duration.ofMillis(300)).isEmpty());
            consumer.resume(List.of(tp));
            assertEquals(3, pollUntil(consumer, 3).size());
        }
    }

    @Test
    void asyncCommitTellsItsCallbackOnALaterCall() throws Exception {
        clients().createTopic(name, 1);
        TopicPartition tp = new TopicPartition(name, 0);
        AtomicReference<Map<TopicPartition, OffsetAndMetadata>> told = new AtomicReference<>();
        try (Consumer<String, String> consumer = clients().consumer(Map.of("group.id", name))) {
            consumer.assign(List.of(tp));
            // A synchronous commit first finds the group's coordinator: Kafka's consumer fails an asynchronous
            // commit made before that with a retriable error, which is not the behaviour under test.
            consumer.commitSync(Map.of(tp, new OffsetAndMetadata(0)));
            consumer.commitAsync(Map.of(tp, new OffsetAndMetadata(0, "async")), (offsets, error) -> {
                assertNull(error);
                told.set(offsets);
            });
            Clients.await("the commit callback", () -> told.get() != null, () -> consumer.poll(Duration.ofMillis(50)));
            assertEquals(0, told.get().get(tp).offset());
            assertEquals("async", consumer.committed(Set.of(tp)).get(tp).metadata());
        }
    }

    @Test
    void offsetsForTimesFindsTheFirstRecordAtOrAfterEachTime() throws Exception {
        clients().createTopic(name, 1);
        TopicPartition tp = new TopicPartition(name, 0);
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>(name, 0, 1_000L * (i + 1), "k", "v"));
            }
        }
        try (Consumer<String, String> consumer = clients().consumer(Map.of())) {
            Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(Map.of(tp, 1_500L));
            assertEquals(new OffsetAndTimestamp(1, 2_000L), found.get(tp));
            assertNull(consumer.offsetsForTimes(Map.of(tp, 9_999L)).get(tp));
        }
    }

    @Test
    void deserializersNamedInConfigAreUsed() throws Exception {
        clients().createTopic(name, 1);
        send(name, 1);
        Map<String, Object> props = new HashMap<>();
        props.put("bootstrap.servers", clients().bootstrap());
        props.put("auto.offset.reset", "earliest");
        props.put("key.deserializer", "io.weir.common.serialization.StringDeserializer");
        props.put("value.deserializer", "io.weir.common.serialization.StringDeserializer");
        try (Consumer<String, String> consumer = Consumer.create(props, null, null)) {
            consumer.assign(List.of(new TopicPartition(name, 0)));
            ConsumerRecord<String, String> record = pollUntil(consumer, 1).get(0);
            assertEquals("k0", record.key());
            assertEquals("v0", record.value());
        }
    }

    private void send(String topic, int count) throws Exception {
        try (Producer<String, String> producer = clients().producer(Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
        }
    }

    private static ConsumerRebalanceListener listener(List<Collection<TopicPartition>> revoked) {
        return new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                revoked.add(List.copyOf(partitions));
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {}
        };
    }

    /**
     * Gives every partition to the member whose subscription user data sorts first, and sends it back that user
     * data with a prefix: the round trip {@code StreamsPartitionAssignor} relies on.
     */
    public static final class AllToOne implements ConsumerPartitionAssignor {
        static final AtomicReference<String> received = new AtomicReference<>();
        private String groupId;

        @Override
        public void configure(Map<String, ?> configs) {
            groupId = String.valueOf(configs.get("group.id"));
        }

        @Override
        public ByteBuffer subscriptionUserData(Set<String> topics) {
            return ByteBuffer.wrap(groupId.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        }

        @Override
        public GroupAssignment assign(Map<String, Integer> partitionsPerTopic, GroupSubscription subscriptions) {
            TreeMap<String, String> byUserData = new TreeMap<>();
            subscriptions.groupSubscription().forEach((member, s) -> byUserData.put(text(s.userData()), member));
            List<TopicPartition> all = new ArrayList<>();
            partitionsPerTopic.forEach((topic, n) -> {
                for (int p = 0; p < n; p++) {
                    all.add(new TopicPartition(topic, p));
                }
            });
            Map<String, Assignment> out = new HashMap<>();
            subscriptions.groupSubscription().forEach((member, s) -> out.put(member, new Assignment(List.of())));
            String winner = byUserData.firstEntry().getValue();
            out.put(
                    winner,
                    new Assignment(
                            all,
                            ByteBuffer.wrap(("all-to-one:" + byUserData.firstKey())
                                    .getBytes(java.nio.charset.StandardCharsets.UTF_8))));
            return new GroupAssignment(out);
        }

        @Override
        public void onAssignment(Assignment assignment, ConsumerGroupMetadata metadata) {
            if (assignment.userData() != null) {
                received.set(text(assignment.userData()));
            }
        }

        @Override
        public String name() {
            return "all-to-one";
        }

        private static String text(ByteBuffer buffer) {
            ByteBuffer b = buffer.duplicate();
            byte[] bytes = new byte[b.remaining()];
            b.get(bytes);
            return new String(bytes, java.nio.charset.StandardCharsets.UTF_8);
        }
    }
}
