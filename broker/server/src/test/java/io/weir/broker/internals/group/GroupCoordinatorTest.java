package io.weir.broker.internals.group;

import static io.weir.broker.internals.group.GroupFixture.CLIENT;
import static io.weir.broker.internals.group.GroupFixture.GROUP;
import static io.weir.broker.internals.group.GroupFixture.REBALANCE_MS;
import static io.weir.broker.internals.group.GroupFixture.SESSION_MS;
import static io.weir.broker.internals.group.GroupFixture.assignmentFor;
import static io.weir.broker.internals.group.GroupFixture.assignmentsFor;
import static io.weir.broker.internals.group.GroupFixture.joinRequest;
import static io.weir.broker.internals.group.GroupFixture.protocol;
import static io.weir.broker.internals.group.GroupFixture.protocols;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.internals.group.GroupFixture.JoinCall;
import io.weir.broker.internals.group.GroupFixture.StableGroup;
import io.weir.broker.internals.group.GroupFixture.SyncCall;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The classic membership protocol, one behaviour per test, driven through the coordinator's public calls
 * with a manual clock. Offsets and the admin calls are in {@link GroupOffsetsTest}.
 */
class GroupCoordinatorTest {
    private final GroupFixture f = new GroupFixture();

    // ---- join and sync -------------------------------------------------------------------------------------

    @Test
    void firstMemberOfEmptyGroupLeadsGenerationOneWithItsOwnMetadata() {
        JoinCall join = f.join(joinRequest("", null, List.of(protocol("range", "orders,payments"))));

        JoinGroupResponse answer = join.answer();
        assertEquals(Errors.NONE, answer.error().error());
        assertEquals(1, answer.generationId());
        assertEquals("range", answer.protocolName());
        assertEquals("client-1", answer.memberId());
        assertTrue(answer.isLeader());
        assertEquals(1, answer.members().size());
        assertEquals("client-1", answer.members().get(0).memberId());
        assertArrayEquals(
                "orders,payments".getBytes(StandardCharsets.UTF_8),
                answer.members().get(0).metadata());
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());
    }

    @Test
    void aNewMemberThatMustKnowItsIdGetsItWithMemberIdRequiredAndJoinsWithIt() {
        JoinGroupRequest first = new JoinGroupRequest(
                GROUP, SESSION_MS, REBALANCE_MS, "", null, CLIENT, "consumer", protocols("range"), true);

        JoinCall handedAnId = f.join(first);
        assertEquals(Errors.MEMBER_ID_REQUIRED, handedAnId.error());
        assertEquals("client-1", handedAnId.memberId());
        assertFalse(f.group().hasMembers(), "not a member until it joins with the id");

        JoinCall joined = f.rejoin(handedAnId.memberId());
        assertEquals(Errors.NONE, joined.error());
        assertEquals("client-1", joined.memberId());
        assertEquals(1, joined.generation());
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());
    }

    @Test
    void aMemberIdHandedOutButNotUsedWithinTheSessionTimeoutIsUnknown() {
        JoinCall handedAnId = f.join(new JoinGroupRequest(
                GROUP, SESSION_MS, REBALANCE_MS, "", null, CLIENT, "consumer", protocols("range"), true));
        f.time.sleep(SESSION_MS + 1);

        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.rejoin(handedAnId.memberId()).error());
    }

    @Test
    void aGroupHoldingOnlyAMemberIdNobodyJoinedWithIsRetiredByPollOnceTheIdExpires() {
        f.join(new JoinGroupRequest(
                GROUP, SESSION_MS, REBALANCE_MS, "", null, CLIENT, "consumer", protocols("range"), true));
        f.advance(SESSION_MS);
        assertTrue(f.coordinator.groups.containsKey(GROUP), "the id may still join");

        f.advance(1); // no further join: only the coordinator's poll sees the id expire
        assertFalse(f.coordinator.groups.containsKey(GROUP), "nothing left in the group: retired");
    }

    @Test
    void aJoinThatFindsItsGroupRetiredBetweenLookupAndLockGoesToAFreshGroup() throws Exception {
        Group shell = new Group(GROUP);
        f.coordinator.groups.put(GROUP, shell);
        JoinCall[] join = new JoinCall[1];
        Thread joiner;
        synchronized (shell) {
            joiner = new Thread(() -> join[0] = f.joinNew(), "joiner");
            joiner.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (joiner.getState() != Thread.State.BLOCKED && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // until the join has looked the group up and waits for its lock
            }
            assertEquals(Thread.State.BLOCKED, joiner.getState());
            assertTrue(f.coordinator.retireIfUnused(shell, f.time.milliseconds()), "the timer retires the shell");
        }
        joiner.join(TimeUnit.SECONDS.toMillis(10));

        assertEquals(Errors.NONE, join[0].error(), "not COORDINATOR_NOT_AVAILABLE: the group was only retired");
        assertNotSame(shell, f.group());
        assertTrue(f.group().hasMembers());
    }

    @Test
    void secondJoinRebalancesStableGroupAndCompletesOnceBothRejoined() {
        StableGroup g = f.stableGroupOf(1);

        JoinCall second = f.joinNew();
        assertFalse(second.answered(), "held until the first member rejoins");
        assertEquals(GroupState.PREPARING_REBALANCE, f.state());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, f.heartbeat(g.leader(), g.generation()));

        JoinCall firstAgain = f.rejoin(g.leader());
        assertEquals(Errors.NONE, firstAgain.error());
        assertEquals(Errors.NONE, second.error());
        assertEquals(g.generation() + 1, firstAgain.generation());
        assertEquals(g.generation() + 1, second.generation());
        assertEquals(g.leader(), second.answer().leaderId());
        assertEquals(
                List.of(g.leader(), second.memberId()),
                firstAgain.answer().members().stream()
                        .map(JoinGroupResponse.Member::memberId)
                        .toList());
        assertTrue(second.answer().members().isEmpty(), "only the leader gets the member list");
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());
    }

    @Test
    void leaderSyncHandsEachMemberItsAssignmentAndStabilizes() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        f.rejoin(a.memberId());
        int generation = b.generation();
        SyncCall followerSync = f.sync(b.memberId(), generation);
        assertFalse(followerSync.answered(), "a follower waits for the leader's assignment");

        SyncCall leaderSync = f.sync(a.memberId(), generation, assignmentsFor(List.of(a.memberId(), b.memberId())));

        assertEquals("partitions-of-" + a.memberId(), leaderSync.assignment());
        assertEquals("partitions-of-" + b.memberId(), followerSync.assignment());
        assertEquals(GroupState.STABLE, f.state());
        assertEquals(1, f.store.appended.size(), "the generation is stored once");
        GroupRecord.GroupMetadata stored =
                (GroupRecord.GroupMetadata) f.store.records().get(0);
        assertEquals(generation, stored.value().generationId());
        assertEquals(a.memberId(), stored.value().leaderId());
        assertEquals("range", stored.value().protocolName());
    }

    @Test
    void followerSyncingAfterTheGroupIsStableGetsItsAssignmentAtOnce() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        f.rejoin(a.memberId());
        f.sync(a.memberId(), b.generation(), assignmentsFor(List.of(a.memberId(), b.memberId())));

        assertEquals(
                "partitions-of-" + b.memberId(),
                f.sync(b.memberId(), b.generation()).assignment());
    }

    @Test
    void syncDuringJoinPhaseFailsRebalanceInProgress() {
        StableGroup g = f.stableGroupOf(2);
        f.joinNew();

        assertEquals(
                Errors.REBALANCE_IN_PROGRESS,
                f.sync(g.follower(), g.generation()).error());
    }

    @Test
    void secondJoinOfAWaitingMemberAnswersTheFirstWithRebalanceInProgress() {
        StableGroup g = f.stableGroupOf(2);
        f.joinNew();
        JoinCall firstTry = f.rejoin(g.leader());
        assertFalse(firstTry.answered());

        JoinCall secondTry = f.rejoin(g.leader());

        assertEquals(Errors.REBALANCE_IN_PROGRESS, firstTry.error());
        assertFalse(secondTry.answered(), "the newer call waits in its place");
    }

    @Test
    void repeatedSyncWhileWaitingAnswersTheSupersededCall() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        f.rejoin(a.memberId());
        SyncCall firstTry = f.sync(b.memberId(), b.generation());

        SyncCall secondTry = f.sync(b.memberId(), b.generation());
        assertEquals(Errors.REBALANCE_IN_PROGRESS, firstTry.error(), "a superseded call is answered, not dropped");
        assertFalse(secondTry.answered());

        f.sync(a.memberId(), b.generation(), assignmentsFor(List.of(a.memberId(), b.memberId())));
        assertEquals("partitions-of-" + b.memberId(), secondTry.assignment());
    }

    @Test
    void failedStoreOfTheGenerationFailsEverySyncAndRestartsTheRebalance() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        f.rejoin(a.memberId());
        SyncCall followerSync = f.sync(b.memberId(), b.generation());
        f.store.mode(InMemoryGroupStore.Mode.FAIL);

        SyncCall leaderSync = f.sync(a.memberId(), b.generation(), assignmentsFor(List.of(a.memberId(), b.memberId())));

        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, leaderSync.error());
        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, followerSync.error());
        assertEquals(GroupState.PREPARING_REBALANCE, f.state());
        assertTrue(f.group().memberList().stream().allMatch(m -> m.assignment.length == 0), "no assignment survives");
    }

    @Test
    void joinWhileTheGenerationIsBeingStoredVoidsIt() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        f.rejoin(a.memberId());
        f.store.mode(InMemoryGroupStore.Mode.HOLD);
        SyncCall leaderSync = f.sync(a.memberId(), b.generation(), assignmentsFor(List.of(a.memberId(), b.memberId())));
        assertFalse(leaderSync.answered(), "waits for the store");

        JoinCall c = f.joinNew();
        assertEquals(Errors.REBALANCE_IN_PROGRESS, leaderSync.error());
        f.store.completeNext();

        assertEquals(GroupState.PREPARING_REBALANCE, f.state(), "a late store does not resurrect the old generation");
        assertEquals(1, leaderSync.answers.size());
        assertFalse(c.answered());
    }

    // ---- liveness ------------------------------------------------------------------------------------------

    @Test
    void memberThatStopsHeartbeatingIsRemovedAfterSessionTimeoutAndGroupRebalances() {
        StableGroup g = f.stableGroupOf(2);
        f.advance(SESSION_MS - 1_000);
        assertEquals(Errors.NONE, f.heartbeat(g.leader(), g.generation()));
        f.advance(999);
        assertEquals(GroupState.STABLE, f.state(), "the follower's session has 1 ms left");

        f.advance(1);

        assertNull(f.group().member(g.follower()));
        assertEquals(GroupState.PREPARING_REBALANCE, f.state());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.heartbeat(g.follower(), g.generation()));
        JoinCall leaderAgain = f.rejoin(g.leader());
        assertEquals(g.generation() + 1, leaderAgain.generation());
        assertEquals(1, leaderAgain.answer().members().size());
    }

    @Test
    void joinPhaseCompletesAtTheRebalanceTimeoutWithoutTheMemberThatDidNotRejoin() {
        StableGroup g = f.stableGroupOf(2);
        JoinCall newcomer = f.joinNew();
        JoinCall leaderAgain = f.rejoin(g.leader());
        for (int elapsed = 0; elapsed < REBALANCE_MS - 5_000; elapsed += 5_000) {
            f.advance(5_000);
            assertEquals(
                    Errors.REBALANCE_IN_PROGRESS,
                    f.heartbeat(g.follower(), g.generation()),
                    "alive, but not rejoining");
        }
        f.advance(4_999);
        assertFalse(leaderAgain.answered());

        f.advance(1);

        assertEquals(Errors.NONE, leaderAgain.error());
        assertEquals(Errors.NONE, newcomer.error());
        assertEquals(
                List.of(g.leader(), newcomer.memberId()),
                leaderAgain.answer().members().stream()
                        .map(JoinGroupResponse.Member::memberId)
                        .toList());
        assertNull(f.group().member(g.follower()));
    }

    @Test
    void joinPhaseEndsAtTheRebalanceTimeoutItStartedWithEvenWhileNewMembersKeepArriving() {
        StableGroup g = f.stableGroupOf(2);
        JoinCall leaderAgain = f.rejoin(g.leader());
        for (int elapsed = 0; elapsed < REBALANCE_MS - 5_000; elapsed += 5_000) {
            f.advance(5_000);
            f.joinNew();
            f.heartbeat(g.follower(), g.generation());
        }

        f.advance(5_000);

        assertEquals(Errors.NONE, leaderAgain.error(), "newcomers do not push the deadline of the join phase");
        assertNull(f.group().member(g.follower()));
    }

    @Test
    void leaveRebalancesTheRemainingMembers() {
        StableGroup g = f.stableGroupOf(3);

        LeaveGroupResponse left = f.leave(g.follower());

        assertEquals(Errors.NONE, left.members().get(0).error().error());
        assertEquals(GroupState.PREPARING_REBALANCE, f.state());
        assertNull(f.group().member(g.follower()));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, f.heartbeat(g.leader(), g.generation()));
    }

    @Test
    void lastMemberLeavingEmptiesTheGroup() {
        StableGroup g = f.stableGroupOf(1);

        f.leave(g.leader());

        assertEquals(GroupState.EMPTY, f.state());
        assertFalse(f.group().hasMembers());
        assertNull(f.group().leaderId);
        assertEquals(g.generation() + 1, f.group().generationId, "Kafka bumps the generation of a group that empties");
    }

    @Test
    void leaderThatNeverSyncsIsRemovedWithEveryMemberThatDidNotSync() {
        JoinCall a = f.joinNew();
        JoinCall b = f.joinNew();
        JoinCall c = f.joinNew();
        f.rejoin(a.memberId());
        int generation = b.generation();
        SyncCall cSync = f.sync(c.memberId(), generation);
        for (int elapsed = 0; elapsed < REBALANCE_MS - 5_000; elapsed += 5_000) {
            for (String alive : List.of(a.memberId(), b.memberId(), c.memberId())) {
                assertEquals(Errors.NONE, f.heartbeat(alive, generation), "every member stays alive");
            }
            f.advance(5_000);
        }
        f.heartbeat(a.memberId(), generation);
        f.heartbeat(b.memberId(), generation);
        f.heartbeat(c.memberId(), generation);
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());

        f.advance(5_000);

        assertNull(f.group().member(a.memberId()), "the leader never sent the assignment");
        assertNull(f.group().member(b.memberId()), "b never synced either");
        assertEquals(List.of(c.memberId()), List.copyOf(f.group().members.keySet()));
        assertEquals(Errors.REBALANCE_IN_PROGRESS, cSync.error());
        assertEquals(GroupState.PREPARING_REBALANCE, f.state());
    }

    // ---- static membership ---------------------------------------------------------------------------------

    /** Leader "one" and follower "two", both static, Stable at generation 2. */
    private List<String> stableStaticPair() {
        JoinCall one = f.joinStatic("one");
        JoinCall two = f.joinStatic("two");
        f.join(joinRequest(one.memberId(), "one", protocols("range")));
        List<String> ids = List.of(one.memberId(), two.memberId());
        f.sync(one.memberId(), "one", two.generation(), assignmentsFor(ids));
        assertEquals(GroupState.STABLE, f.state());
        return ids;
    }

    @Test
    void restartedStaticMemberInStableGroupGetsItsAssignmentWithoutNewGeneration() {
        List<String> ids = stableStaticPair();
        int generation = f.group().generationId;

        JoinCall restarted = f.joinStatic("two");

        assertEquals(Errors.NONE, restarted.error());
        assertEquals(generation, restarted.generation());
        assertEquals(ids.get(0), restarted.answer().leaderId());
        assertEquals(GroupState.STABLE, f.state());
        SyncCall sync = f.sync(restarted.memberId(), "two", generation, Map.of());
        assertArrayEquals(assignmentFor(ids.get(1)), sync.answer().assignment());
        assertEquals(restarted.memberId(), f.group().staticMembers.get("two"));
    }

    @Test
    void replacedStaticMemberIdIsFencedOnHeartbeat() {
        List<String> ids = stableStaticPair();
        int generation = f.group().generationId;
        f.joinStatic("two");

        assertEquals(Errors.FENCED_INSTANCE_ID, f.heartbeat(ids.get(1), "two", generation));
        assertNull(f.group().member(ids.get(1)));
    }

    @Test
    void staticMemberThatDidNotRejoinKeepsItsPlaceThroughTheJoinPhase() {
        List<String> ids = stableStaticPair();
        f.joinNew();
        f.join(joinRequest(ids.get(0), "one", protocols("range")));
        int generation = f.group().generationId;

        for (int elapsed = 0; elapsed < REBALANCE_MS; elapsed += 5_000) {
            assertEquals(
                    Errors.REBALANCE_IN_PROGRESS, f.heartbeat(ids.get(1), "two", generation), "alive, not rejoining");
            f.advance(5_000);
        }

        assertTrue(
                f.group().members.containsKey(ids.get(1)), "static members wait for their session, not the join phase");
        assertEquals(GroupState.COMPLETING_REBALANCE, f.state());
    }

    // ---- strategy ------------------------------------------------------------------------------------------

    @Test
    void protocolVoteSelectsTheStrategyEveryMemberSupports() {
        JoinCall a = f.join(joinRequest("", null, protocols("range", "roundrobin")));
        JoinCall b = f.join(joinRequest("", null, protocols("roundrobin")));
        f.join(joinRequest(a.memberId(), null, protocols("range", "roundrobin")));

        assertEquals("roundrobin", b.answer().protocolName());
    }

    @Test
    void protocolVoteSelectsTheStrategyMostMembersPreferAmongCommonOnes() {
        JoinCall a = f.join(joinRequest("", null, protocols("range", "roundrobin")));
        JoinCall b = f.join(joinRequest("", null, protocols("roundrobin", "range")));
        JoinCall c = f.join(joinRequest("", null, protocols("roundrobin", "range")));
        f.join(joinRequest(a.memberId(), null, protocols("range", "roundrobin")));

        assertEquals("roundrobin", c.answer().protocolName());
        assertEquals("roundrobin", b.answer().protocolName());
    }

    @Test
    void joinSharingNoStrategyWithTheGroupFailsInconsistentGroupProtocol() {
        f.join(joinRequest("", null, protocols("range")));

        JoinCall other = f.join(joinRequest("", null, protocols("sticky")));

        assertEquals(Errors.INCONSISTENT_GROUP_PROTOCOL, other.error());
        assertEquals(1, f.group().members.size());
    }

    // ---- request validation --------------------------------------------------------------------------------

    @Test
    void sessionTimeoutOutsideTheBrokerRangeFailsNamingValueAndRange() {
        JoinCall join =
                f.join(new JoinGroupRequest(GROUP, 500, REBALANCE_MS, "", null, "c", "consumer", protocols("range")));

        ApiError error = join.answer().error();
        assertEquals(Errors.INVALID_SESSION_TIMEOUT, error.error());
        assertTrue(error.message().contains("500"), error.message());
        assertTrue(error.message().contains("[1000, 60000]"), error.message());
        assertNull(f.group(), "nothing is created for a refused join");
    }

    @Test
    void emptyGroupIdFailsInvalidGroupId() {
        JoinCall join = f.join(
                new JoinGroupRequest("", SESSION_MS, REBALANCE_MS, "", null, "c", "consumer", protocols("range")));

        assertEquals(Errors.INVALID_GROUP_ID, join.error());
    }

    @Test
    void callsFromAMemberTheGroupDoesNotKnowFailUnknownMemberId() {
        StableGroup g = f.stableGroupOf(1);

        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.heartbeat("client-99", g.generation()));
        assertEquals(
                Errors.UNKNOWN_MEMBER_ID, f.sync("client-99", g.generation()).error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.rejoin("client-99").error());
        assertEquals(
                Errors.UNKNOWN_MEMBER_ID,
                f.leave("client-99").members().get(0).error().error());
    }

    @Test
    void callsToAnUnknownGroupFailUnknownMemberId() {
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.heartbeat("client-1", 1));
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.sync("client-1", 1).error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.rejoin("client-1").error());
        assertEquals(Errors.UNKNOWN_MEMBER_ID, f.leave("client-1").error().error());
        assertNull(f.group(), "a call for a member never creates the group");
    }

    @Test
    void staleGenerationHeartbeatFailsIllegalGeneration() {
        StableGroup g = f.stableGroupOf(2);

        assertEquals(Errors.ILLEGAL_GENERATION, f.heartbeat(g.follower(), g.generation() - 1));
    }

    @Test
    void staleGenerationSyncFailsIllegalGeneration() {
        StableGroup g = f.stableGroupOf(2);

        assertEquals(
                Errors.ILLEGAL_GENERATION,
                f.sync(g.follower(), g.generation() - 1).error());
    }

    @Test
    void joinBeyondGroupMaxSizeFailsGroupMaxSizeReached() {
        GroupFixture small = new GroupFixture(GroupFixture.config(0, 2));
        small.joinNew();
        small.joinNew();

        JoinCall third = small.joinNew();

        assertEquals(Errors.GROUP_MAX_SIZE_REACHED, third.error());
        assertEquals(2, small.group().members.size());
    }

    // ---- initial rebalance delay ---------------------------------------------------------------------------

    @Test
    void initialRebalanceDelayHoldsTheFirstJoinUntilItPasses() {
        GroupFixture delayed = new GroupFixture(GroupFixture.config(3_000, 10));
        JoinCall a = delayed.joinNew();
        delayed.advance(2_000);
        JoinCall b = delayed.joinNew();
        delayed.advance(2_999);
        assertFalse(a.answered(), "b's arrival restarted the delay");

        delayed.advance(1);

        assertEquals(1, a.generation(), "both members settle in one generation");
        assertEquals(1, b.generation());
        assertEquals(2, a.answer().members().size());
    }

    @Test
    void initialDelayNeverOutlastsTheRebalanceTimeoutOfTheJoinPhase() {
        GroupFixture delayed = new GroupFixture(GroupFixture.config(3_000, 100));
        JoinCall first = delayed.joinNew();
        for (int elapsed = 0; elapsed < REBALANCE_MS - 2_000; elapsed += 2_000) {
            delayed.advance(2_000);
            delayed.joinNew();
        }
        assertFalse(first.answered());

        delayed.advance(2_000);

        assertEquals(Errors.NONE, first.error(), "members arriving every 2 s cannot hold the first rebalance forever");
    }
}
