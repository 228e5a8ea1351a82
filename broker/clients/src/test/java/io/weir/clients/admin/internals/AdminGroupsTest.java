package io.weir.clients.admin.internals;

import static io.weir.broker.TestFutures.assertFails;
import static io.weir.broker.TestFutures.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import io.weir.broker.TestFutures;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.ConsumerGroupDescription;
import io.weir.clients.admin.ConsumerGroupListing;
import io.weir.clients.admin.ConsumerGroupState;
import io.weir.clients.admin.GroupOffsetLag;
import io.weir.clients.admin.KeyedResult;
import io.weir.clients.admin.MemberDescription;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.consumer.internals.ConsumerProtocol;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerConfig;
import io.weir.clients.producer.ProducerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.errors.GroupIdNotFoundException;
import io.weir.common.errors.GroupNotEmptyException;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InconsistentGroupProtocolException;
import io.weir.common.errors.InvalidGroupIdException;
import io.weir.common.errors.SerializationException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.serialization.StringSerializer;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Admin's consumer-group calls against a real embedded broker. Groups are formed through the broker's
 * {@link BrokerApi} directly (join, sync, commit, leave) with consumer-protocol bytes encoded here, so these
 * tests depend on the coordinator and the admin client only, not on the consumer's group support.
 */
class AdminGroupsTest {
    private static final long WAIT_SECONDS = 30;
    private static final int SESSION_TIMEOUT_MS = 30_000;
    private static final String ASSIGNOR = "range";

    private EmbeddedBroker broker;
    private BrokerApi api;
    private Admin admin;

    @BeforeEach
    void open() {
        Properties props = new Properties();
        props.put("offsets.topic.num.partitions", "3");
        broker = EmbeddedBroker.open(props);
        api = broker.api();
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    // ---- list and describe --------------------------------------------------------------------------------

    @Test
    void listShowsConsumerGroupsWithTheirStateAndLeavesOtherProtocolTypesOut() throws Exception {
        createTopic("t", 2);
        formGroup("active", "consumer", List.of(Set.of(tp("t", 0), tp("t", 1))));
        formGroup("connect-workers", "connect", List.of(Set.of()));
        await(admin.alterConsumerGroupOffsets("idle", Map.of(tp("t", 0), new OffsetAndMetadata(1)))
                .all());

        Map<String, ConsumerGroupState> listed = new TreeMap<>();
        for (ConsumerGroupListing l : await(admin.listConsumerGroups())) {
            listed.put(l.groupId(), l.state());
        }

        assertEquals(Map.of("active", ConsumerGroupState.STABLE, "idle", ConsumerGroupState.EMPTY), listed);
    }

    @Test
    void describeShowsStableGroupWithMembersAndDecodedAssignments() throws Exception {
        createTopic("t", 3);
        Set<TopicPartition> first = Set.of(tp("t", 0), tp("t", 1));
        Set<TopicPartition> second = Set.of(tp("t", 2));
        List<String> memberIds = formGroup("g", "consumer", List.of(first, second));

        ConsumerGroupDescription d =
                await(admin.describeConsumerGroups(List.of("g")).values().get("g"));

        assertEquals("g", d.groupId());
        assertEquals(ConsumerGroupState.STABLE, d.state());
        assertEquals(ASSIGNOR, d.partitionAssignor());
        assertEquals(2, d.generationId(), "one generation per member joining");
        assertEquals(Optional.of(memberIds.get(0)), d.leaderId());
        assertEquals(2, d.members().size());
        MemberDescription m0 = d.members().get(0);
        MemberDescription m1 = d.members().get(1);
        assertEquals(memberIds, List.of(m0.memberId(), m1.memberId()));
        assertEquals("client-0", m0.clientId());
        assertEquals(Optional.empty(), m0.groupInstanceId());
        assertEquals(first, m0.assignment());
        assertEquals(second, m1.assignment());
    }

    @Test
    void describeOfUnknownGroupFailsWithGroupIdNotFoundWithoutFailingTheOthers() throws Exception {
        formGroup("known", "consumer", List.of(Set.of()));

        KeyedResult<String, ConsumerGroupDescription> result =
                admin.describeConsumerGroups(List.of("known", "missing"));

        assertEquals(
                ConsumerGroupState.STABLE, await(result.values().get("known")).state());
        GroupIdNotFoundException e =
                assertFails(GroupIdNotFoundException.class, result.values().get("missing"));
        assertTrue(e.getMessage().contains("missing"), e.getMessage());
        assertFails(GroupIdNotFoundException.class, result.all());
    }

    @Test
    void describeOfAnotherProtocolTypeFailsWithInconsistentGroupProtocol() {
        formGroup("connect-workers", "connect", List.of(Set.of()));

        var e = assertFails(
                InconsistentGroupProtocolException.class,
                admin.describeConsumerGroups(List.of("connect-workers")).all());
        assertTrue(e.getMessage().contains("'connect'"), e.getMessage());
    }

    @Test
    void describeWithAnAssignmentNotInTheConsumerLayoutFailsNamingTheMember() {
        List<String> members = formGroupWithAssignmentBytes("g", "consumer", List.of(new byte[] {0, 0, 0, 0, 0, 1}));

        var e = assertFails(
                SerializationException.class,
                admin.describeConsumerGroups(List.of("g")).all());
        assertTrue(e.getMessage().contains(members.get(0)), e.getMessage());
    }

    @Test
    void describeOfGroupWithOnlyCommittedOffsetsIsEmptyWithoutMembers() throws Exception {
        createTopic("t", 1);
        await(admin.alterConsumerGroupOffsets("offsets-only", Map.of(tp("t", 0), new OffsetAndMetadata(3)))
                .all());

        ConsumerGroupDescription d = await(
                        admin.describeConsumerGroups(List.of("offsets-only")).all())
                .get("offsets-only");

        assertEquals(ConsumerGroupState.EMPTY, d.state());
        assertEquals("", d.partitionAssignor());
        assertEquals(Optional.empty(), d.leaderId());
        assertEquals(List.of(), d.members());
    }

    // ---- offsets and lag ----------------------------------------------------------------------------------

    @Test
    void listOffsetsAndLagShowCommittedOffsetsAgainstTheLogEnd() throws Exception {
        createTopic("t", 2);
        produce("t", 0, 10, 0L);
        produce("t", 1, 5, 0L);
        List<String> members = formGroup("g", "consumer", List.of(Set.of(tp("t", 0), tp("t", 1))));
        int generation =
                await(admin.describeConsumerGroups(List.of("g")).all()).get("g").generationId();
        memberCommit("g", generation, members.get(0), Map.of(tp("t", 0), 4L, tp("t", 1), 5L));

        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets("g"));
        Map<TopicPartition, GroupOffsetLag> lag = await(admin.describeConsumerGroupLag("g"));

        assertEquals(
                Map.of(
                        tp("t", 0),
                        new OffsetAndMetadata(4, Optional.of(7), "by member"),
                        tp("t", 1),
                        new OffsetAndMetadata(5, Optional.of(7), "by member")),
                committed);
        assertEquals(List.of(tp("t", 0), tp("t", 1)), new ArrayList<>(committed.keySet()), "sorted by partition");
        assertEquals(new GroupOffsetLag(4, 10), lag.get(tp("t", 0)));
        assertEquals(6, lag.get(tp("t", 0)).lag());
        assertEquals(0, lag.get(tp("t", 1)).lag());

        produce("t", 1, 3, 0L);
        assertEquals(
                new GroupOffsetLag(5, 8),
                await(admin.describeConsumerGroupLag("g")).get(tp("t", 1)));
    }

    @Test
    void listOffsetsOfUnknownGroupAnswersNoOffsetsAsKafkaDoes() {
        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets("nobody")));
        assertEquals(Map.of(), await(admin.describeConsumerGroupLag("nobody")));
    }

    @Test
    void groupWithMembersButNoCommitsHasNoOffsetsAndNoLag() throws Exception {
        formGroup("g", "consumer", List.of(Set.of()));

        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets("g")));
        assertEquals(Map.of(), await(admin.describeConsumerGroupLag("g")));
    }

    @Test
    void alterWhileMembersArePresentFailsEachPartitionWithGroupNotEmptyAndChangesNothing() throws Exception {
        createTopic("t", 2);
        List<String> members = formGroup("g", "consumer", List.of(Set.of(tp("t", 0), tp("t", 1))));
        memberCommit("g", 1, members.get(0), Map.of(tp("t", 0), 2L));

        KeyedResult<TopicPartition, Void> result = admin.alterConsumerGroupOffsets(
                "g", Map.of(tp("t", 0), new OffsetAndMetadata(9), tp("t", 1), new OffsetAndMetadata(9)));

        assertFails(GroupNotEmptyException.class, result.values().get(tp("t", 0)));
        GroupNotEmptyException e =
                assertFails(GroupNotEmptyException.class, result.values().get(tp("t", 1)));
        assertTrue(e.getMessage().contains("g"), e.getMessage());
        assertEquals(Map.of(tp("t", 0), 2L), offsetsOf("g"));
    }

    @Test
    void alterAfterTheMembersLeaveCommitsTheOffsets() throws Exception {
        createTopic("t", 2);
        List<String> members = formGroup("g", "consumer", List.of(Set.of(tp("t", 0)), Set.of(tp("t", 1))));
        leave("g", members);
        assertEquals(
                ConsumerGroupState.EMPTY,
                await(admin.describeConsumerGroups(List.of("g")).all()).get("g").state());

        await(admin.alterConsumerGroupOffsets(
                        "g",
                        Map.of(
                                tp("t", 0), new OffsetAndMetadata(7, Optional.of(3), "moved by hand"),
                                tp("t", 1), new OffsetAndMetadata(0)))
                .all());

        Map<TopicPartition, OffsetAndMetadata> committed = await(admin.listConsumerGroupOffsets("g"));
        assertEquals(new OffsetAndMetadata(7, Optional.of(3), "moved by hand"), committed.get(tp("t", 0)));
        assertEquals(new OffsetAndMetadata(0), committed.get(tp("t", 1)));
    }

    @Test
    void resetMovesOffsetsToEarliestLatestAndTimestamp() throws Exception {
        createTopic("r", 4);
        for (int p = 0; p < 4; p++) {
            produce("r", p, 5, 10_000L); // timestamps 10000, 11000, ... 14000
        }
        await(admin.alterConsumerGroupOffsets(
                        "g",
                        Map.of(
                                tp("r", 0),
                                new OffsetAndMetadata(3),
                                tp("r", 1),
                                new OffsetAndMetadata(3),
                                tp("r", 2),
                                new OffsetAndMetadata(0),
                                tp("r", 3),
                                new OffsetAndMetadata(0)))
                .all());

        Map<TopicPartition, OffsetAndMetadata> reset = await(admin.resetConsumerGroupOffsets(
                        "g",
                        Map.of(
                                tp("r", 0), OffsetSpec.earliest(),
                                tp("r", 1), OffsetSpec.latest(),
                                tp("r", 2), OffsetSpec.forTimestamp(11_500L),
                                tp("r", 3), OffsetSpec.forTimestamp(99_000L)))
                .all());

        Map<TopicPartition, Long> expected = Map.of(tp("r", 0), 0L, tp("r", 1), 5L, tp("r", 2), 2L, tp("r", 3), 5L);
        Map<TopicPartition, Long> returned = new HashMap<>();
        reset.forEach((tp, o) -> returned.put(tp, o.offset()));
        assertEquals(expected, returned);
        assertEquals(expected, offsetsOf("g"), "a timestamp after the last record resolves to the log end");
    }

    @Test
    void resetOfUnknownPartitionFailsThatPartitionAndResetsTheOthers() throws Exception {
        createTopic("r", 1);
        produce("r", 0, 3, 0L);

        KeyedResult<TopicPartition, OffsetAndMetadata> result = admin.resetConsumerGroupOffsets(
                "g", Map.of(tp("r", 0), OffsetSpec.latest(), tp("gone", 0), OffsetSpec.earliest()));

        assertEquals(new OffsetAndMetadata(3), await(result.values().get(tp("r", 0))));
        assertFails(UnknownTopicOrPartitionException.class, result.values().get(tp("gone", 0)));
        assertEquals(Map.of(tp("r", 0), 3L), offsetsOf("g"));
    }

    @Test
    void resetWhileMembersArePresentFailsWithGroupNotEmpty() throws Exception {
        createTopic("r", 1);
        formGroup("g", "consumer", List.of(Set.of(tp("r", 0))));

        assertFails(
                GroupNotEmptyException.class,
                admin.resetConsumerGroupOffsets("g", Map.of(tp("r", 0), OffsetSpec.earliest()))
                        .values()
                        .get(tp("r", 0)));
        assertEquals(Map.of(), offsetsOf("g"));
    }

    // ---- delete -------------------------------------------------------------------------------------------

    @Test
    void deleteIsRefusedWhileMembersExistAndRemovesGroupAndOffsetsOnceEmpty() throws Exception {
        createTopic("t", 1);
        List<String> members = formGroup("g", "consumer", List.of(Set.of(tp("t", 0))));
        memberCommit("g", 1, members.get(0), Map.of(tp("t", 0), 1L));

        assertFails(
                GroupNotEmptyException.class,
                admin.deleteConsumerGroups(List.of("g")).values().get("g"));
        assertEquals(
                ConsumerGroupState.STABLE,
                await(admin.describeConsumerGroups(List.of("g")).all()).get("g").state());

        leave("g", members);
        await(admin.deleteConsumerGroups(List.of("g")).all());

        assertFails(
                GroupIdNotFoundException.class,
                admin.describeConsumerGroups(List.of("g")).values().get("g"));
        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets("g")));
        var fetched = await(api.offsetFetch(new OffsetFetchRequest("g", List.of(tp("t", 0)))));
        assertEquals(-1L, fetched.offsets().get(tp("t", 0)).offset(), "the offsets went with the group");
        assertTrue(await(admin.listConsumerGroups()).stream()
                .noneMatch(l -> l.groupId().equals("g")));
    }

    @Test
    void deleteOfUnknownGroupFailsWithGroupIdNotFoundWithoutFailingTheOthers() throws Exception {
        createTopic("t", 1);
        await(admin.alterConsumerGroupOffsets("empty", Map.of(tp("t", 0), new OffsetAndMetadata(1)))
                .all());

        KeyedResult<String, Void> result = admin.deleteConsumerGroups(List.of("empty", "missing"));

        await(result.values().get("empty"));
        assertFails(GroupIdNotFoundException.class, result.values().get("missing"));
    }

    // ---- bad input ----------------------------------------------------------------------------------------

    @Test
    void emptyGroupIdFailsItsOwnFuturesWithInvalidGroupId() throws Exception {
        formGroup("g", "consumer", List.of(Set.of()));

        KeyedResult<String, ConsumerGroupDescription> described = admin.describeConsumerGroups(List.of("", "g"));
        InvalidGroupIdException e =
                assertFails(InvalidGroupIdException.class, described.values().get(""));
        assertTrue(e.getMessage().contains("''"), e.getMessage());
        assertEquals(
                ConsumerGroupState.STABLE, await(described.values().get("g")).state());

        assertFails(InvalidGroupIdException.class, admin.listConsumerGroupOffsets(""));
        assertFails(InvalidGroupIdException.class, admin.listConsumerGroupOffsets(null));
        assertFails(InvalidGroupIdException.class, admin.describeConsumerGroupLag(""));
        assertFails(
                InvalidGroupIdException.class,
                admin.alterConsumerGroupOffsets("", Map.of(tp("t", 0), new OffsetAndMetadata(1)))
                        .values()
                        .get(tp("t", 0)));
        assertFails(
                InvalidGroupIdException.class,
                admin.resetConsumerGroupOffsets("", Map.of(tp("t", 0), OffsetSpec.latest()))
                        .all());
        assertFails(
                InvalidGroupIdException.class,
                admin.deleteConsumerGroups(List.of("")).all());
    }

    @Test
    void nullCollectionsMapsAndEntriesAreRejectedAtOnce() {
        Map<TopicPartition, OffsetAndMetadata> nullValue = new HashMap<>();
        nullValue.put(tp("t", 0), null);
        Map<TopicPartition, OffsetSpec> nullSpec = new HashMap<>();
        nullSpec.put(tp("t", 3), null);

        assertThrows(IllegalArgumentException.class, () -> admin.describeConsumerGroups(null));
        assertThrows(IllegalArgumentException.class, () -> admin.deleteConsumerGroups(Arrays.asList("g", null)));
        assertThrows(IllegalArgumentException.class, () -> admin.alterConsumerGroupOffsets("g", null));
        var e = assertThrows(IllegalArgumentException.class, () -> admin.alterConsumerGroupOffsets("g", nullValue));
        assertTrue(e.getMessage().contains("t-0"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> admin.resetConsumerGroupOffsets("g", null));
        var s = assertThrows(IllegalArgumentException.class, () -> admin.resetConsumerGroupOffsets("g", nullSpec));
        assertTrue(s.getMessage().contains("t-3"), s.getMessage());
    }

    @Test
    void aCommitForAPartitionTheBrokerDoesNotHaveIsRefusedNamingIt() throws Exception {
        createTopic("t", 1);
        var response = await(api.offsetCommit(new OffsetCommitRequest(
                "g", -1, "", null, Map.of(tp("t", 3), new OffsetCommitRequest.CommittedOffset(1, -1, "", -1)))));
        ApiError error = response.results().get(tp("t", 3));
        assertEquals(Errors.UNKNOWN_TOPIC_OR_PARTITION, error.error());
        assertTrue(error.message().contains("t-3"), error.message());
        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets("g")));
        assertFails(
                GroupIdNotFoundException.class,
                admin.describeConsumerGroups(List.of("g")).values().get("g"));
    }

    @Test
    void negativeOffsetsAreRejectedByOffsetAndMetadataAndByTheBroker() throws Exception {
        var e = assertThrows(IllegalArgumentException.class, () -> new OffsetAndMetadata(-5));
        assertTrue(e.getMessage().contains("-5"), e.getMessage());
        createTopic("t", 1);

        var response = await(api.offsetCommit(new OffsetCommitRequest(
                "g", -1, "", null, Map.of(tp("t", 0), new OffsetCommitRequest.CommittedOffset(-5, -1, "", -1)))));

        ApiError error = response.results().get(tp("t", 0));
        assertEquals(Errors.INVALID_REQUEST, error.error());
        assertTrue(error.message().contains("-5"), error.message());
        assertEquals(Map.of(), await(admin.listConsumerGroupOffsets("g")));
        assertFails(
                GroupIdNotFoundException.class,
                admin.describeConsumerGroups(List.of("g")).values().get("g"));
    }

    @Test
    void groupCallsAfterCloseThrowIllegalClientState() {
        admin.close();

        assertThrows(IllegalClientStateException.class, () -> admin.listConsumerGroups());
        assertThrows(IllegalClientStateException.class, () -> admin.describeConsumerGroups(List.of("g")));
        assertThrows(IllegalClientStateException.class, () -> admin.deleteConsumerGroups(List.of("g")));
    }

    // ---- the assignment decoder ---------------------------------------------------------------------------

    @Test
    void decoderReadsEveryTopicAndToleratesUserDataAndLaterFields() throws IOException {
        byte[] bytes = assignment(Set.of(tp("a", 0), tp("a", 2), tp("b", 1)), new byte[] {1, 2, 3}, new byte[] {9, 9});

        assertEquals(Set.of(tp("a", 0), tp("a", 2), tp("b", 1)), ConsumerProtocol.assignedPartitions(bytes, "m"));
        assertEquals(Set.of(), ConsumerProtocol.assignedPartitions(new byte[0], "m"));
    }

    @Test
    void decoderRejectsTruncatedBytesNamingTheMember() throws IOException {
        byte[] bytes = assignment(Set.of(tp("a", 0)), null, new byte[0]);
        byte[] truncated = Arrays.copyOf(bytes, bytes.length - 2);

        var e = assertThrows(
                SerializationException.class, () -> ConsumerProtocol.assignedPartitions(truncated, "member m-1"));
        assertTrue(e.getMessage().contains("member m-1"), e.getMessage());
        assertThrows(
                SerializationException.class,
                () -> ConsumerProtocol.assignedPartitions(new byte[] {0, 0, 127, 0, 0, 0}, "m"));
    }

    // ---- helpers ------------------------------------------------------------------------------------------

    private static TopicPartition tp(String topic, int partition) {
        return new TopicPartition(topic, partition);
    }

    private void createTopic(String name, int partitions) throws Exception {
        await(admin.createTopics(List.of(new NewTopic(name, partitions))).all());
    }

    /** {@code count} records into one partition, with timestamps {@code firstTimestamp}, +1000, +2000, ... */
    private void produce(String topic, int partition, int count, long firstTimestamp) throws Exception {
        List<Future<?>> sent = new ArrayList<>();
        try (Producer<String, String> p = Producer.create(
                ProducerConfig.builder()
                        .bootstrapServers(broker.bootstrapServers())
                        .build(),
                new StringSerializer(),
                new StringSerializer())) {
            for (int i = 0; i < count; i++) {
                sent.add(p.send(new ProducerRecord<>(topic, partition, firstTimestamp + i * 1000L, null, "v" + i)));
            }
            p.flush();
        }
        for (Future<?> f : sent) {
            f.get(WAIT_SECONDS, TimeUnit.SECONDS);
        }
    }

    /**
     * Forms a Stable group, one member per assignment: each newcomer's join starts a rebalance that ends when
     * the members already in have rejoined, then the leader (the first member) hands out the assignments.
     * Returns the member ids in join order.
     */
    private List<String> formGroup(String groupId, String protocolType, List<Set<TopicPartition>> assignments) {
        return formGroupWithAssignmentBytes(
                groupId,
                protocolType,
                assignments.stream().map(a -> assignment(a, null, new byte[0])).toList());
    }

    private List<String> formGroupWithAssignmentBytes(String groupId, String protocolType, List<byte[]> assignments) {
        List<String> memberIds = new ArrayList<>();
        JoinGroupResponse leaderJoin = null;
        for (int i = 0; i < assignments.size(); i++) {
            List<CompletableFuture<JoinGroupResponse>> joins = new ArrayList<>();
            joins.add(api.joinGroup(join(groupId, "", "client-" + i, protocolType)));
            for (int m = 0; m < memberIds.size(); m++) {
                joins.add(api.joinGroup(join(groupId, memberIds.get(m), "client-" + m, protocolType)));
            }
            List<JoinGroupResponse> answers =
                    joins.stream().map(TestFutures::await).toList();
            answers.forEach(a ->
                    assertEquals(Errors.NONE, a.error().error(), () -> a.error().toString()));
            memberIds.add(answers.get(0).memberId());
            leaderJoin = answers.stream()
                    .filter(JoinGroupResponse::isLeader)
                    .findFirst()
                    .orElseThrow();
        }
        Map<String, byte[]> encoded = new LinkedHashMap<>();
        for (int i = 0; i < assignments.size(); i++) {
            encoded.put(memberIds.get(i), assignments.get(i));
        }
        int generation = leaderJoin.generationId();
        List<CompletableFuture<SyncGroupResponse>> syncs = new ArrayList<>();
        for (String memberId : memberIds) {
            if (!memberId.equals(leaderJoin.memberId())) {
                syncs.add(api.syncGroup(
                        new SyncGroupRequest(groupId, generation, memberId, null, protocolType, ASSIGNOR, Map.of())));
            }
        }
        syncs.add(api.syncGroup(new SyncGroupRequest(
                groupId, generation, leaderJoin.memberId(), null, protocolType, ASSIGNOR, encoded)));
        syncs.forEach(s -> assertEquals(Errors.NONE, await(s).error().error()));
        return memberIds;
    }

    private static JoinGroupRequest join(String groupId, String memberId, String clientId, String protocolType) {
        return new JoinGroupRequest(
                groupId,
                SESSION_TIMEOUT_MS,
                SESSION_TIMEOUT_MS,
                memberId,
                null,
                clientId,
                protocolType,
                List.of(new JoinGroupRequest.Protocol(ASSIGNOR, subscription(List.of("t")))));
    }

    private void memberCommit(String groupId, int generation, String memberId, Map<TopicPartition, Long> offsets) {
        Map<TopicPartition, OffsetCommitRequest.CommittedOffset> commits = new HashMap<>();
        offsets.forEach((tp, o) -> commits.put(tp, new OffsetCommitRequest.CommittedOffset(o, 7, "by member", -1)));
        var response = await(api.offsetCommit(new OffsetCommitRequest(groupId, generation, memberId, null, commits)));
        response.results().values().forEach(e -> assertTrue(e.isSuccess(), e::toString));
    }

    private void leave(String groupId, List<String> memberIds) {
        var response = await(api.leaveGroup(new LeaveGroupRequest(
                groupId,
                memberIds.stream()
                        .map(id -> new LeaveGroupRequest.MemberIdentity(id, null, "test"))
                        .toList())));
        response.members().forEach(m -> assertTrue(m.error().isSuccess(), m.error()::toString));
    }

    private Map<TopicPartition, Long> offsetsOf(String groupId) {
        Map<TopicPartition, Long> out = new HashMap<>();
        await(admin.listConsumerGroupOffsets(groupId)).forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    /** Kafka's ConsumerProtocolSubscription v2: topics, null user data, no owned partitions, generation -1. */
    private static byte[] subscription(List<String> topics) {
        try {
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(2);
            out.writeInt(topics.size());
            for (String t : topics) {
                writeString(out, t);
            }
            out.writeInt(-1);
            out.writeInt(0);
            out.writeInt(-1);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    /** Kafka's ConsumerProtocolAssignment v0 with optional user data, then {@code trailing} bytes a later version might add. */
    private static byte[] assignment(Set<TopicPartition> partitions, byte[] userData, byte[] trailing) {
        try {
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            partitions.forEach(tp ->
                    byTopic.computeIfAbsent(tp.topic(), t -> new ArrayList<>()).add(tp.partition()));
            ByteArrayOutputStream bytes = new ByteArrayOutputStream();
            DataOutputStream out = new DataOutputStream(bytes);
            out.writeShort(0);
            out.writeInt(byTopic.size());
            for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
                writeString(out, e.getKey());
                out.writeInt(e.getValue().size());
                for (int p : e.getValue()) {
                    out.writeInt(p);
                }
            }
            if (userData == null) {
                out.writeInt(-1);
            } else {
                out.writeInt(userData.length);
                out.write(userData);
            }
            out.write(trailing);
            return bytes.toByteArray();
        } catch (IOException e) {
            throw new AssertionError(e);
        }
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
        out.writeShort(utf8.length);
        out.write(utf8);
    }
}
