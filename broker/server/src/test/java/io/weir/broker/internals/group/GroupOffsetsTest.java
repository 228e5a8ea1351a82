package io.weir.broker.internals.group;

import static io.weir.broker.internals.group.GroupFixture.GROUP;
import static io.weir.broker.internals.group.GroupFixture.assignmentFor;
import static io.weir.broker.internals.group.GroupFixture.offset;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.internals.group.GroupFixture.JoinCall;
import io.weir.broker.internals.group.GroupFixture.StableGroup;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.DeleteGroupsRequest;
import io.weir.common.protocol.DeleteGroupsResponse;
import io.weir.common.protocol.DescribeGroupsRequest;
import io.weir.common.protocol.DescribeGroupsResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetDeleteRequest;
import io.weir.common.protocol.OffsetDeleteResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Committed offsets, the admin view of groups and the reload from the offsets topic, one behaviour per test. */
class GroupOffsetsTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);

    private final GroupFixture f = new GroupFixture();

    private static Errors only(OffsetCommitResponse response, TopicPartition tp) {
        return response.results().get(tp).error();
    }

    // ---- commit and fetch ----------------------------------------------------------------------------------

    @Test
    void commitFromTheCurrentGenerationIsVisibleToFetch() {
        StableGroup g = f.stableGroupOf(2);

        OffsetCommitResponse response = f.commit(g.follower(), g.generation(), Map.of(P0, offset(42), P1, offset(7)));

        assertEquals(Errors.NONE, only(response, P0));
        assertEquals(Errors.NONE, only(response, P1));
        assertEquals(Map.of(P0, 42L, P1, 7L), f.fetchAll());
    }

    @Test
    void commitFromAStaleGenerationFailsIllegalGenerationAndChangesNothing() {
        StableGroup g = f.stableGroupOf(2);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(10)));
        int appends = f.store.appended.size();

        OffsetCommitResponse response = f.commit(g.follower(), g.generation() - 1, Map.of(P0, offset(99)));

        assertEquals(Errors.ILLEGAL_GENERATION, only(response, P0));
        assertEquals(Map.of(P0, 10L), f.fetchAll());
        assertEquals(appends, f.store.appended.size(), "nothing was written");
    }

    @Test
    void commitWhileCompletingRebalanceFailsRebalanceInProgress() {
        JoinCall a = f.joinNew();
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());

        OffsetCommitResponse response = f.commit(a.memberId(), a.generation(), Map.of(P0, offset(1)));

        assertEquals(Errors.REBALANCE_IN_PROGRESS, only(response, P0));
        assertTrue(f.fetchAll().isEmpty());
    }

    @Test
    void commitFromTheCurrentGenerationIsAcceptedWhilePreparingRebalance() {
        StableGroup g = f.stableGroupOf(2);
        f.joinNew();

        OffsetCommitResponse response = f.commit(g.follower(), g.generation(), Map.of(P0, offset(5)));

        assertEquals(Errors.NONE, only(response, P0), "members commit what they processed before they rejoin");
        assertEquals(Map.of(P0, 5L), f.fetchAll());
    }

    @Test
    void simpleCommitIsAcceptedForAGroupWithoutMembers() {
        OffsetCommitResponse response = f.commit("", -1, Map.of(P0, offset(3)));

        assertEquals(Errors.NONE, only(response, P0));
        assertEquals(Map.of(P0, 3L), f.fetchAll());
    }

    @Test
    void simpleCommitIsRefusedWithNonEmptyGroupWhileMembersExist() {
        f.stableGroupOf(1);

        OffsetCommitResponse response = f.commit("", -1, Map.of(P0, offset(3)));

        assertEquals(Errors.NON_EMPTY_GROUP, only(response, P0));
        assertTrue(f.fetchAll().isEmpty());
    }

    @Test
    void commitWithAGenerationToAnUnknownGroupFailsUnknownMemberId() {
        OffsetCommitResponse response = f.commit("client-1", 3, Map.of(P0, offset(3)));

        assertEquals(Errors.UNKNOWN_MEMBER_ID, only(response, P0));
        assertNull(f.group());
    }

    @Test
    void negativeOffsetFailsInvalidRequestNamingOffsetAndPartitionWhileTheOthersCommit() {
        StableGroup g = f.stableGroupOf(1);

        OffsetCommitResponse response = f.commit(g.leader(), g.generation(), Map.of(P0, offset(-5), P1, offset(8)));

        ApiError error = response.results().get(P0);
        assertEquals(Errors.INVALID_REQUEST, error.error());
        assertTrue(error.message().contains("-5") && error.message().contains("orders-0"), error.message());
        assertEquals(Errors.NONE, only(response, P1));
        assertEquals(Map.of(P1, 8L), f.fetchAll());
    }

    @Test
    void metadataLongerThanTheLimitFailsOffsetMetadataTooLarge() {
        StableGroup g = f.stableGroupOf(1);
        String tooLong = "x".repeat(GroupFixture.CONFIG.offsetMetadataMaxBytes() + 1);

        OffsetCommitResponse response =
                f.commit(g.leader(), g.generation(), Map.of(P0, new CommittedOffset(1, -1, tooLong, -1)));

        assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, only(response, P0));
        assertTrue(f.fetchAll().isEmpty());
    }

    @Test
    void fetchOfEveryPartitionOfAnUnknownGroupAnswersNoOffsetsAndNoError() {
        OffsetFetchResponse response = f.offsets.fetch(new OffsetFetchRequest("nobody", null));

        assertEquals(Errors.NONE, response.error().error(), "as Kafka 4.1's fetchAllOffsets");
        assertEquals(Map.of(), response.offsets());
    }

    @Test
    void fetchOfNamedPartitionsOfAnUnknownGroupAnswersNoOffset() {
        OffsetFetchResponse response = f.offsets.fetch(new OffsetFetchRequest("nobody", List.of(P0)));

        assertEquals(Errors.NONE, response.error().error());
        assertEquals(-1L, response.offsets().get(P0).offset());
    }

    @Test
    void fetchSeesACommitOnlyOnceTheStoreHasAppliedIt() {
        StableGroup g = f.stableGroupOf(1);
        f.store.mode(InMemoryGroupStore.Mode.HOLD);

        CompletableFuture<OffsetCommitResponse> pending = f.offsets.commit(
                new OffsetCommitRequest(GROUP, g.generation(), g.leader(), null, Map.of(P0, offset(9))));
        assertFalse(pending.isDone());
        assertTrue(f.fetchAll().isEmpty(), "not durable yet");

        f.store.completeNext();
        assertEquals(Errors.NONE, only(pending.join(), P0));
        assertEquals(Map.of(P0, 9L), f.fetchAll());
    }

    @Test
    void failedStoreOfACommitFailsCoordinatorNotAvailableAndKeepsTheOldOffset() {
        StableGroup g = f.stableGroupOf(1);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(1)));
        f.store.mode(InMemoryGroupStore.Mode.FAIL);

        OffsetCommitResponse response = f.commit(g.leader(), g.generation(), Map.of(P0, offset(2)));

        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, only(response, P0));
        assertEquals(Map.of(P0, 1L), f.fetchAll());
    }

    // ---- list, describe, delete ----------------------------------------------------------------------------

    @Test
    void listShowsEveryGroupWithItsState() {
        f.stableGroupOf(1);
        f.offsets
                .commit(new OffsetCommitRequest("other", -1, "", null, Map.of(P0, offset(1))))
                .join();

        ListGroupsResponse listed = f.offsets.list();

        assertEquals(
                List.of(
                        new ListGroupsResponse.ListedGroup(GROUP, "consumer", "Stable"),
                        new ListGroupsResponse.ListedGroup("other", "consumer", "Empty")),
                listed.groups());
    }

    @Test
    void describeShowsStateMembersAndTheirAssignments() {
        StableGroup g = f.stableGroupOf(2);

        DescribeGroupsResponse.DescribedGroup d = f.offsets
                .describe(new DescribeGroupsRequest(List.of(GROUP)))
                .groups()
                .get(0);

        assertEquals(Errors.NONE, d.error().error());
        assertEquals("Stable", d.state());
        assertEquals("range", d.protocolName());
        assertEquals(g.generation(), d.generationId());
        assertEquals(g.leader(), d.leaderId());
        assertEquals(
                g.memberIds(),
                d.members().stream()
                        .map(DescribeGroupsResponse.DescribedMember::memberId)
                        .toList());
        for (DescribeGroupsResponse.DescribedMember m : d.members()) {
            assertArrayEquals(assignmentFor(m.memberId()), m.assignment());
            assertArrayEquals("topic-a".getBytes(), m.metadata());
        }
    }

    @Test
    void describeOfAnUnknownGroupFailsGroupIdNotFound() {
        DescribeGroupsResponse.DescribedGroup d = f.offsets
                .describe(new DescribeGroupsRequest(List.of("nobody")))
                .groups()
                .get(0);

        assertEquals(Errors.GROUP_ID_NOT_FOUND, d.error().error());
        assertEquals("Dead", d.state());
    }

    @Test
    void deleteIsRefusedWithNonEmptyGroupWhileMembersExist() {
        StableGroup g = f.stableGroupOf(1);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(4)));

        DeleteGroupsResponse response =
                f.offsets.delete(new DeleteGroupsRequest(List.of(GROUP))).join();

        assertEquals(Errors.NON_EMPTY_GROUP, response.results().get(GROUP).error());
        assertEquals(GroupState.STABLE, f.state());
        assertEquals(Map.of(P0, 4L), f.fetchAll());
    }

    @Test
    void aCommitRacingADeleteOfItsGroupIsNeverFollowedByTheDeletedGroupsTombstone() {
        StableGroup g = f.stableGroupOf(1);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(4)));
        f.leave(g.leader());
        OffsetCommitResponse[] racing = new OffsetCommitResponse[1];
        // Another client commits for the same group id the moment the deletion writes its tombstones.
        f.store.beforeNextAppend = () -> racing[0] = f.commit("", -1, Map.of(P0, offset(9)));

        DeleteGroupsResponse response =
                f.offsets.delete(new DeleteGroupsRequest(List.of(GROUP))).join();

        assertEquals(Errors.NONE, response.results().get(GROUP).error());
        assertEquals(
                Errors.COORDINATOR_NOT_AVAILABLE, only(racing[0], P0), "the deleted group is still there, Dead: retry");
        assertEquals(Errors.NONE, only(f.commit("", -1, Map.of(P0, offset(9))), P0), "the retry");
        GroupFixture reloaded = new GroupFixture();
        long logOffset = 0;
        for (var batch : f.store.appended) {
            for (GroupRecord r : batch.records()) {
                reloaded.offsets.load(r, logOffset++);
            }
        }
        assertEquals(Map.of(P0, 9L), reloaded.fetchAll(), "a reload replays the retry's commit after the tombstone");
    }

    @Test
    void deleteOfAnEmptyGroupWritesATombstonePerCommittedPartitionAndOneForTheGroup() {
        StableGroup g = f.stableGroupOf(1);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(4), P1, offset(5)));
        f.leave(g.leader());
        int before = f.store.appended.size();

        DeleteGroupsResponse response =
                f.offsets.delete(new DeleteGroupsRequest(List.of(GROUP))).join();

        assertEquals(Errors.NONE, response.results().get(GROUP).error());
        assertEquals(before + 1, f.store.appended.size(), "one batch");
        List<GroupRecord> tombstones = f.store.appended.get(before).records();
        assertEquals(
                Set.of(new GroupRecord.OffsetCommit(GROUP, P0, null), new GroupRecord.OffsetCommit(GROUP, P1, null)),
                new HashSet<>(tombstones.subList(0, 2)));
        assertEquals(new GroupRecord.GroupMetadata(GROUP, null), tombstones.get(2), "the group's tombstone comes last");
        assertNull(f.group());
        OffsetFetchResponse gone = f.offsets.fetch(new OffsetFetchRequest(GROUP, null));
        assertEquals(Errors.NONE, gone.error().error(), "an unknown group has no offsets, as in Kafka");
        assertEquals(Map.of(), gone.offsets());
    }

    @Test
    void deleteOfAnUnknownGroupFailsGroupIdNotFound() {
        DeleteGroupsResponse response =
                f.offsets.delete(new DeleteGroupsRequest(List.of("nobody"))).join();

        assertEquals(Errors.GROUP_ID_NOT_FOUND, response.results().get("nobody").error());
        assertTrue(f.store.appended.isEmpty());
    }

    @Test
    void offsetDeleteOfAnEmptyGroupWritesATombstoneAndTheReloadedGroupHasNoOffset() {
        StableGroup g = f.stableGroupOf(1);
        f.commit(g.leader(), g.generation(), Map.of(P0, offset(4), P1, offset(5)));
        f.leave(g.leader());
        int before = f.store.appended.size();

        OffsetDeleteResponse response = f.offsets
                .deleteOffsets(new OffsetDeleteRequest(GROUP, List.of(P0, new TopicPartition("never", 0))))
                .join();

        assertEquals(Errors.NONE, response.error().error());
        assertEquals(Errors.NONE, response.partitions().get(P0).error());
        assertEquals(
                Errors.NONE,
                response.partitions().get(new TopicPartition("never", 0)).error(),
                "no offset: NONE");
        assertEquals(
                List.of(new GroupRecord.OffsetCommit(GROUP, P0, null)),
                f.store.appended.get(before).records());
        assertEquals(Map.of(P1, 5L), f.fetchAll());

        GroupFixture reloaded = new GroupFixture();
        long logOffset = 0;
        for (var batch : f.store.appended) {
            for (GroupRecord r : batch.records()) {
                reloaded.offsets.load(r, logOffset++);
            }
        }
        assertEquals(Map.of(P1, 5L), reloaded.fetchAll());
    }

    @Test
    void offsetDeleteOfATopicTheBrokerDoesNotHaveAnswersUnknownTopicOrPartition() {
        OffsetCoordinator offsets =
                new OffsetCoordinator(f.coordinator, tp -> !tp.topic().equals("never"));
        f.commit("", -1, Map.of(P0, offset(4)));

        OffsetDeleteResponse response = offsets.deleteOffsets(
                        new OffsetDeleteRequest(GROUP, List.of(P0, new TopicPartition("never", 0))))
                .join();

        assertEquals(Errors.NONE, response.partitions().get(P0).error());
        assertEquals(
                Errors.UNKNOWN_TOPIC_OR_PARTITION,
                response.partitions().get(new TopicPartition("never", 0)).error(),
                "as Kafka's handleDeleteOffsets");
    }

    @Test
    void offsetDeleteWhoseAppendFailsFailsTheWholeRequestRetriably() {
        f.commit("", -1, Map.of(P0, offset(4)));
        f.store.mode(InMemoryGroupStore.Mode.FAIL);

        OffsetDeleteResponse response = f.offsets
                .deleteOffsets(new OffsetDeleteRequest(GROUP, List.of(P0)))
                .join();

        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, response.error().error());
        assertTrue(response.partitions().isEmpty());
        assertEquals(Map.of(P0, 4L), f.fetchAll(), "nothing was deleted");
    }

    @Test
    void offsetDeleteOfAnUnknownGroupFailsGroupIdNotFound() {
        OffsetDeleteResponse response = f.offsets
                .deleteOffsets(new OffsetDeleteRequest("nobody", List.of(P0)))
                .join();

        assertEquals(Errors.GROUP_ID_NOT_FOUND, response.error().error());
        assertTrue(f.store.appended.isEmpty());
    }

    // ---- load ----------------------------------------------------------------------------------------------

    @Test
    void loadRebuildsExactlyTheLatestStateOfTheOffsetsTopic() {
        CommittedOffset first = new CommittedOffset(10, 1, "a", 100);
        CommittedOffset overwritten = new CommittedOffset(20, 2, "b", 200);
        CommittedOffset kept = new CommittedOffset(30, 3, "c", 300);
        GroupRecord.GroupMetadata.Value generation7 =
                new GroupRecord.GroupMetadata.Value("consumer", 7, "range", "m-1", 400);
        List<GroupRecord> log = List.of(
                new GroupRecord.OffsetCommit("g1", P0, first),
                new GroupRecord.OffsetCommit("g1", P1, kept),
                new GroupRecord.OffsetCommit("g1", P0, overwritten),
                new GroupRecord.GroupMetadata("g1", generation7),
                new GroupRecord.OffsetCommit("g2", P0, first),
                new GroupRecord.OffsetCommit("g2", P1, first),
                new GroupRecord.OffsetCommit("g2", P1, null),
                new GroupRecord.OffsetCommit("gone", P0, first),
                new GroupRecord.GroupMetadata("gone", generation7),
                new GroupRecord.OffsetCommit("gone", P0, null),
                new GroupRecord.GroupMetadata("gone", null));

        for (int offset = 0; offset < log.size(); offset++) {
            f.offsets.load(log.get(offset), offset);
        }

        Group g1 = f.coordinator.groups.get("g1");
        assertEquals(Map.of(P0, overwritten, P1, kept), Map.copyOf(g1.offsets));
        assertEquals(7, g1.generationId);
        assertEquals(GroupState.EMPTY, g1.state(), "members are not restored");
        assertFalse(g1.hasMembers());
        assertEquals(Map.of(P0, first), Map.copyOf(f.coordinator.groups.get("g2").offsets));
        assertNull(f.coordinator.groups.get("gone"));
        assertEquals(
                List.of("g1", "g2"),
                f.offsets.list().groups().stream()
                        .map(ListGroupsResponse.ListedGroup::groupId)
                        .toList());
    }

    @Test
    void loadedGroupStartsItsNextGenerationAfterTheStoredOne() {
        f.offsets.load(
                new GroupRecord.GroupMetadata(
                        GROUP, new GroupRecord.GroupMetadata.Value("consumer", 7, "range", "m-1", 400)),
                0);

        assertEquals(8, f.joinNew().generation());
    }
}
