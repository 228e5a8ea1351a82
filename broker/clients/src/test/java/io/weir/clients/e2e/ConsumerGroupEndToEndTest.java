package io.weir.clients.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.CloseOptions;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRebalanceListener;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.ConsumerRecords;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CommitFailedException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidSessionTimeoutException;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Consumer groups against a real embedded broker: membership, assignment, commits, restarts. */
class ConsumerGroupEndToEndTest {
    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private Admin admin;
    private final List<Consumer<String, String>> consumers = new ArrayList<>();

    @BeforeEach
    void open() {
        broker = openBroker();
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    private EmbeddedBroker openBroker() {
        Properties p = new Properties();
        p.put("log.dirs", dir.toString());
        p.put("group.min.session.timeout.ms", "100");
        p.put("offsets.topic.num.partitions", "3");
        return EmbeddedBroker.open(p);
    }

    @AfterEach
    void close() {
        consumers.forEach(c -> c.close(Duration.ofSeconds(5)));
        admin.close();
        broker.close();
    }

    private void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, Map.of())))
                .all()
                .get(30, TimeUnit.SECONDS);
    }

    private void produce(String topic, int count) throws Exception {
        try (Producer<String, String> producer = Producer.create(
                Map.of("bootstrap.servers", broker.bootstrapServers(), "acks", "all"),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private Consumer<String, String> consumer(String group, Map<String, Object> extra) {
        Map<String, Object> p = new HashMap<>();
        p.put("bootstrap.servers", broker.bootstrapServers());
        p.put("group.id", group);
        p.put("auto.offset.reset", "earliest");
        p.put("session.timeout.ms", "3000");
        p.put("heartbeat.interval.ms", "50");
        p.put("metadata.max.age.ms", "200");
        p.putAll(extra);
        Consumer<String, String> c = Consumer.create(p, new StringDeserializer(), new StringDeserializer());
        consumers.add(c);
        return c;
    }

    private static void pollUntil(
            List<Consumer<String, String>> members,
            List<ConsumerRecord<String, String>> sink,
            BooleanSupplier done,
            String what) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("Timed out waiting for " + what);
            }
            for (Consumer<String, String> c : members) {
                c.poll(Duration.ofMillis(20)).forEach(sink::add);
            }
        }
    }

    @Test
    void membersOfAGroupSplitThePartitionsAndTogetherReadEveryRecordOnce() throws Exception {
        createTopic("orders", 4);
        produce("orders", 400);
        Consumer<String, String> a = consumer("g", Map.of("partition.assignment.strategy", "range"));
        Consumer<String, String> b = consumer("g", Map.of("partition.assignment.strategy", "range"));
        a.subscribe(List.of("orders"));
        b.subscribe(List.of("orders"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(
                List.of(a, b),
                seen,
                () -> a.assignment().size() == 2 && b.assignment().size() == 2 && seen.size() >= 400,
                "both members to own two partitions and read all 400 records");
        Set<TopicPartition> union = new HashSet<>(a.assignment());
        union.addAll(b.assignment());
        assertEquals(
                4,
                union.size(),
                "each partition owned by exactly one member: " + a.assignment() + " " + b.assignment());
        Set<String> values = new HashSet<>();
        seen.forEach(r -> values.add(r.value()));
        assertEquals(400, values.size());
    }

    @Test
    void aNewMemberResumesFromTheCommittedOffsets() throws Exception {
        createTopic("t", 2);
        produce("t", 100);
        Consumer<String, String> first = consumer("g", Map.of("enable.auto.commit", "false"));
        first.subscribe(List.of("t"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(List.of(first), seen, () -> seen.size() >= 100, "100 records");
        first.commitSync();
        Map<TopicPartition, OffsetAndMetadata> committed =
                first.committed(Set.of(new TopicPartition("t", 0), new TopicPartition("t", 1)));
        assertEquals(
                100,
                committed.values().stream().mapToLong(OffsetAndMetadata::offset).sum());
        first.close();
        consumers.remove(first);

        produce("t", 10);
        Consumer<String, String> second = consumer("g", Map.of());
        second.subscribe(List.of("t"));
        List<ConsumerRecord<String, String>> after = new ArrayList<>();
        pollUntil(List.of(second), after, () -> after.size() >= 10, "the 10 new records");
        assertEquals(10, after.size(), "nothing before the committed offsets is read again");
    }

    @Test
    void committedOffsetsSurviveABrokerRestart() throws Exception {
        createTopic("t", 1);
        produce("t", 5);
        Consumer<String, String> c = consumer("durable", Map.of("enable.auto.commit", "false"));
        c.subscribe(List.of("t"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(List.of(c), seen, () -> seen.size() >= 5, "5 records");
        c.commitSync(Map.of(new TopicPartition("t", 0), new OffsetAndMetadata(3, "note")));
        c.close();
        consumers.clear();
        admin.close();
        broker.close();

        broker = openBroker();
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
        Consumer<String, String> again = consumer("durable", Map.of());
        again.subscribe(List.of("t"));
        List<ConsumerRecord<String, String>> rest = new ArrayList<>();
        pollUntil(List.of(again), rest, () -> rest.size() >= 2, "the records after the committed offset");
        assertEquals(
                List.of("v3", "v4"), rest.stream().map(ConsumerRecord::value).toList());
        assertEquals(
                "note",
                again.committed(Set.of(new TopicPartition("t", 0)))
                        .get(new TopicPartition("t", 0))
                        .metadata());
    }

    @Test
    void patternSubscriptionPicksUpANewMatchingTopic() throws Exception {
        createTopic("metrics-a", 1);
        Consumer<String, String> c = consumer("p", Map.of());
        c.subscribe(Pattern.compile("metrics-.*"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(List.of(c), seen, () -> c.assignment().size() == 1, "the first matching topic");
        createTopic("metrics-b", 2);
        createTopic("other", 1);
        pollUntil(List.of(c), seen, () -> c.assignment().size() == 3, "the new matching topic");
        assertEquals(Set.of("metrics-a", "metrics-b"), c.subscription());
    }

    @Test
    void rebalanceListenerSeesRevocationAndAssignment() throws Exception {
        createTopic("t", 2);
        List<String> events = new ArrayList<>();
        ConsumerRebalanceListener listener = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
                events.add("revoked " + partitions.size());
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                events.add("assigned " + partitions.size());
            }
        };
        Consumer<String, String> a = consumer("l", Map.of("partition.assignment.strategy", "range"));
        a.subscribe(List.of("t"), listener);
        pollUntil(List.of(a), new ArrayList<>(), () -> a.assignment().size() == 2, "both partitions");
        Consumer<String, String> b = consumer("l", Map.of("partition.assignment.strategy", "range"));
        b.subscribe(List.of("t"));
        pollUntil(
                List.of(a, b),
                new ArrayList<>(),
                () -> a.assignment().size() == 1 && b.assignment().size() == 1,
                "a split");
        assertEquals(List.of("assigned 2", "revoked 2", "assigned 1"), events);
    }

    @Test
    void commitForAPartitionNotAssignedIsRefusedNamingIt() throws Exception {
        createTopic("t", 2);
        Consumer<String, String> c = consumer("g", Map.of());
        c.assign(List.of(new TopicPartition("t", 0)));
        var e = assertThrows(
                IllegalClientStateException.class,
                () -> c.commitSync(Map.of(new TopicPartition("t", 1), new OffsetAndMetadata(1))));
        assertTrue(e.getMessage().contains("t-1"), e.getMessage());
    }

    @Test
    void negativeOffsetAndUnknownAssignorAreRefusedNamingTheValue() {
        var negative = assertThrows(IllegalArgumentException.class, () -> new OffsetAndMetadata(-7));
        assertTrue(negative.getMessage().contains("-7"), negative.getMessage());
        var unknown = assertThrows(
                InvalidConfigurationException.class,
                () -> consumer("g", Map.of("partition.assignment.strategy", "fastest")));
        assertTrue(unknown.getMessage().contains("fastest"), unknown.getMessage());
    }

    @Test
    void sessionTimeoutOutsideTheBrokersRangeIsRefused() throws Exception {
        createTopic("t", 1);
        Consumer<String, String> c =
                consumer("g", Map.of("session.timeout.ms", "5000000", "heartbeat.interval.ms", "1000"));
        c.subscribe(List.of("t"));
        var e = assertThrows(InvalidSessionTimeoutException.class, () -> c.poll(Duration.ofSeconds(5)));
        assertTrue(e.getMessage().contains("5000000") && e.getMessage().contains("1800000"), e.getMessage());
    }

    @Test
    void aMemberThatStopsPollingLosesItsPartitionsAndItsStaleCommitFails() throws Exception {
        createTopic("t", 2);
        Map<String, Object> settings = Map.of(
                "max.poll.interval.ms", "300", "partition.assignment.strategy", "range", "enable.auto.commit", "false");
        Consumer<String, String> slow = consumer("g", settings);
        Consumer<String, String> fast = consumer("g", settings);
        slow.subscribe(List.of("t"));
        fast.subscribe(List.of("t"));
        pollUntil(
                List.of(slow, fast),
                new ArrayList<>(),
                () -> slow.assignment().size() == 1 && fast.assignment().size() == 1,
                "a split");
        // slow stops polling; fast keeps going and should take over both partitions.
        pollUntil(List.of(fast), new ArrayList<>(), () -> fast.assignment().size() == 2, "fast to own both partitions");
        assertThrows(CommitFailedException.class, () -> slow.commitSync());
        assertNull(fast.committed(Set.of(new TopicPartition("t", 0))).get(new TopicPartition("t", 0)));
    }

    /**
     * The scenario: three members on six partitions; one stops polling. Its partitions must move to
     * the others within the session timeout, every record must be delivered at least once, and a record is
     * delivered twice only if the first member read it after its last successful commit (the uncommitted tail).
     */
    @Test
    void partitionsOfAMemberThatStopsPollingMoveAndNoCommittedRecordIsReadTwice() throws Exception {
        int partitions = 6;
        createTopic("events", partitions);
        produce("events", 3000);
        int sessionTimeoutMs = 3000;
        Map<String, Object> settings = Map.of(
                "enable.auto.commit",
                "false",
                "max.poll.interval.ms",
                "1000",
                "session.timeout.ms",
                Integer.toString(sessionTimeoutMs),
                "max.poll.records",
                "50");
        List<Consumer<String, String>> members =
                List.of(consumer("e2e", settings), consumer("e2e", settings), consumer("e2e", settings));
        members.forEach(m -> m.subscribe(List.of("events")));

        // per partition: offset -> members that delivered it, in order; and per member the last offset it committed
        Map<TopicPartition, Map<Long, List<Integer>>> deliveries = new HashMap<>();
        Map<TopicPartition, Map<Integer, Long>> committedBy = new HashMap<>();
        int[] delivered = {0};
        java.util.function.IntConsumer pollOnce = i -> {
            Consumer<String, String> m = members.get(i);
            var records = m.poll(Duration.ofMillis(10));
            Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
            for (ConsumerRecord<String, String> r : records) {
                TopicPartition tp = new TopicPartition(r.topic(), r.partition());
                deliveries
                        .computeIfAbsent(tp, k -> new HashMap<>())
                        .computeIfAbsent(r.offset(), k -> new ArrayList<>())
                        .add(i);
                positions.put(tp, new OffsetAndMetadata(r.offset() + 1));
                delivered[0]++;
            }
            try {
                m.commitSync(positions);
                positions.forEach((tp, om) ->
                        committedBy.computeIfAbsent(tp, k -> new HashMap<>()).put(i, om.offset()));
            } catch (CommitFailedException | io.weir.common.errors.RebalanceInProgressException e) {
                // the uncommitted tail: these records may be read again by the next owner
            }
        };
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (members.stream().mapToInt(m -> m.assignment().size()).sum() < partitions
                || delivered[0] < 600
                || members.stream().anyMatch(m -> m.assignment().isEmpty())) {
            assertTrue(System.nanoTime() < deadline, "group did not settle with every member reading");
            for (int i = 0; i < 3; i++) {
                pollOnce.accept(i);
            }
        }
        // Member 2 stops polling now.
        Set<TopicPartition> orphaned = members.get(2).assignment();
        long stoppedAt = System.nanoTime();
        long movedAt = -1;
        produce("events", 600);
        while (true) {
            assertTrue(System.nanoTime() < deadline, "records or partitions did not move");
            pollOnce.accept(0);
            pollOnce.accept(1);
            Set<TopicPartition> owned = new HashSet<>(members.get(0).assignment());
            owned.addAll(members.get(1).assignment());
            if (movedAt < 0 && owned.containsAll(orphaned) && owned.size() == partitions) {
                movedAt = System.nanoTime();
            }
            long total = deliveries.values().stream().mapToLong(Map::size).sum();
            if (movedAt >= 0 && total == 3600) {
                break;
            }
        }
        long moveMs = TimeUnit.NANOSECONDS.toMillis(movedAt - stoppedAt);
        assertTrue(moveMs < sessionTimeoutMs, "partitions moved after " + moveMs + " ms, over the session timeout");

        long duplicates = 0;
        for (var partition : deliveries.entrySet()) {
            for (var offset : partition.getValue().entrySet()) {
                List<Integer> who = offset.getValue();
                if (who.size() > 1) {
                    duplicates++;
                    Long firstCommitted = committedBy
                            .getOrDefault(partition.getKey(), Map.of())
                            .get(who.get(0));
                    assertTrue(
                            firstCommitted == null || offset.getKey() >= firstCommitted,
                            "offset " + offset.getKey() + " of "
                                    + partition.getKey() + " was committed by member " + who.get(0) + " (up to "
                                    + firstCommitted
                                    + ") yet delivered again to " + who.subList(1, who.size()));
                }
            }
        }
        assertTrue(duplicates <= 6 * 50, "only the uncommitted tail is read twice: " + duplicates + " duplicates");
    }

    @Test
    void aStaticMemberRestartingWithinItsSessionGetsItsPartitionsBackWithoutARebalance() throws Exception {
        createTopic("t", 4);
        Map<String, Object> staticSettings =
                Map.of("group.instance.id", "instance-a", "partition.assignment.strategy", "range");
        Consumer<String, String> a = consumer("s", staticSettings);
        Consumer<String, String> b = consumer("s", Map.of("partition.assignment.strategy", "range"));
        a.subscribe(List.of("t"));
        b.subscribe(List.of("t"));
        pollUntil(
                List.of(a, b),
                new ArrayList<>(),
                () -> a.assignment().size() == 2 && b.assignment().size() == 2,
                "a split");
        Set<TopicPartition> before = a.assignment();
        int generation = b.groupMetadata().generationId();
        a.close();
        consumers.remove(a);

        Consumer<String, String> restarted = consumer("s", staticSettings);
        restarted.subscribe(List.of("t"));
        pollUntil(
                List.of(restarted, b),
                new ArrayList<>(),
                () -> restarted.assignment().size() == 2,
                "the restarted member's partitions");
        assertEquals(before, restarted.assignment());
        for (int i = 0; i < 10; i++) {
            b.poll(Duration.ofMillis(20)); // several heartbeats: none may announce a rebalance
        }
        assertEquals(generation, b.groupMetadata().generationId(), "no rebalance happened");
        assertEquals(generation, restarted.groupMetadata().generationId());
    }

    @Test
    void aStaticMemberClosedWithLeaveGroupHandsItsPartitionsOverAtOnce() throws Exception {
        createTopic("t", 4);
        Consumer<String, String> a = consumer(
                "leaving", Map.of("group.instance.id", "instance-a", "partition.assignment.strategy", "range"));
        Consumer<String, String> b = consumer("leaving", Map.of("partition.assignment.strategy", "range"));
        a.subscribe(List.of("t"));
        b.subscribe(List.of("t"));
        pollUntil(
                List.of(a, b),
                new ArrayList<>(),
                () -> a.assignment().size() == 2 && b.assignment().size() == 2,
                "a split");
        a.close(CloseOptions.groupMembershipOperation(CloseOptions.GroupMembershipOperation.LEAVE_GROUP));
        consumers.remove(a);
        // Without the leave, b would keep its two partitions until a's session (45 s) expired.
        pollUntil(List.of(b), new ArrayList<>(), () -> b.assignment().size() == 4, "every partition to b");
    }

    @Test
    void aTopicCreatedAfterTheSubscriptionIsReadWithoutWaitingForTheMetadataMaxAge() throws Exception {
        // The default metadata.max.age.ms (5 minutes): the check must come sooner because the topic was missing.
        Consumer<String, String> c = consumer("late-g", Map.of("metadata.max.age.ms", "300000"));
        c.subscribe(List.of("late"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(List.of(c), seen, () -> c.groupMetadata().generationId() > 0, "a generation");
        createTopic("late", 2);
        produce("late", 10);
        pollUntil(List.of(c), seen, () -> seen.size() == 10, "the records of the topic created late");
    }

    @Test
    void aLargeBacklogInOnePartitionDoesNotStarveTheOthers() throws Exception {
        createTopic("wide", 2);
        produce("wide", 4000);
        Consumer<String, String> c = consumer("wide-g", Map.of("max.poll.records", "100"));
        c.assign(List.of(new TopicPartition("wide", 0), new TopicPartition("wide", 1)));
        c.seekToBeginning(c.assignment());
        Set<Integer> seen = new HashSet<>();
        List<ConsumerRecord<String, String>> first = new ArrayList<>();
        for (int polls = 0; polls < 200 && seen.size() < 2; ) {
            ConsumerRecords<String, String> records = c.poll(Duration.ofMillis(100));
            if (!records.isEmpty()) {
                polls++;
                records.forEach(r -> seen.add(r.partition()));
                records.forEach(first::add);
            }
        }
        assertEquals(Set.of(0, 1), seen);
        assertTrue(first.size() <= 300, "both partitions within the first polls, after " + first.size() + " records");
    }

    @Test
    void addingPartitionsToASubscribedTopicTriggersARebalance() throws Exception {
        createTopic("grow", 2);
        Consumer<String, String> c = consumer("grow-g", Map.of());
        c.subscribe(List.of("grow"));
        pollUntil(List.of(c), new ArrayList<>(), () -> c.assignment().size() == 2, "two partitions");
        admin.createPartitions(Map.of("grow", 5)).all().get(10, TimeUnit.SECONDS);
        pollUntil(List.of(c), new ArrayList<>(), () -> c.assignment().size() == 5, "the new partitions");
    }

    @Test
    void autoCommitCommitsConsumedPositionsOnPollAndClose() throws Exception {
        createTopic("auto", 1);
        produce("auto", 20);
        Consumer<String, String> c = consumer("auto-g", Map.of("auto.commit.interval.ms", "0"));
        c.subscribe(List.of("auto"));
        List<ConsumerRecord<String, String>> seen = new ArrayList<>();
        pollUntil(List.of(c), seen, () -> seen.size() >= 20, "20 records");
        TopicPartition tp = new TopicPartition("auto", 0);
        pollUntil(
                List.of(c),
                seen,
                () -> {
                    OffsetAndMetadata committed = c.committed(Set.of(tp)).get(tp);
                    return committed != null && committed.offset() == 20;
                },
                "the auto-commit of position 20");
        produce("auto", 5);
        pollUntil(List.of(c), seen, () -> seen.size() >= 25, "5 more");
        c.close();
        consumers.remove(c);
        Consumer<String, String> check = consumer("auto-g", Map.of("enable.auto.commit", "false"));
        check.assign(List.of(tp));
        assertEquals(25, check.committed(Set.of(tp)).get(tp).offset(), "close committed the final position");
    }

    @Test
    void autoOffsetResetNoneFailsForAGroupWithoutCommittedOffsets() throws Exception {
        createTopic("t", 1);
        Consumer<String, String> c = consumer("fresh", Map.of("auto.offset.reset", "none"));
        c.subscribe(List.of("t"));
        assertThrows(io.weir.common.errors.NoOffsetForPartitionException.class, () -> {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(50));
            }
        });
    }
}
