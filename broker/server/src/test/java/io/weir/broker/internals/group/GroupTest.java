package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.JoinGroupRequest.Protocol;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The contract of {@link Group}'s own methods: checked transitions, the phases' deadlines, and its offsets. */
class GroupTest {
    private static final TopicPartition P0 = new TopicPartition("t", 0);
    private static final TopicPartition P1 = new TopicPartition("t", 1);
    private static final int REBALANCE_TIMEOUT_MS = 5_000;
    private static final int INITIAL_DELAY_MS = 300;

    private final Group group = new Group("g");

    private static MemberMetadata member(String id, String instanceId) {
        MemberMetadata m = new MemberMetadata(
                id, instanceId, "client", 10_000, REBALANCE_TIMEOUT_MS, List.of(new Protocol("range", new byte[0])));
        m.awaitingJoin = (JoinGroupResponse answer) -> {};
        return m;
    }

    private static CommittedOffset offset(long offset) {
        return new CommittedOffset(offset, -1, "", 1L);
    }

    private IllegalStateException refused(Runnable transition) {
        return assertThrows(IllegalStateException.class, transition::run);
    }

    private void stable(long now) {
        group.add(member("a", null), "consumer");
        group.prepareRebalance(now, 0);
        group.initNextGeneration(now);
        group.becomeStable(now);
    }

    @Test
    void illegalTransitionIsRefusedNamingBothStates() {
        IllegalStateException e = refused(() -> group.becomeStable(0));
        assertTrue(e.getMessage().contains("from Empty to Stable"), e.getMessage());
        assertEquals(GroupState.EMPTY, group.state());
    }

    @Test
    void joinPhaseCannotStartTwice() {
        group.add(member("a", null), "consumer");
        group.prepareRebalance(0, 0);
        IllegalStateException e = refused(() -> group.prepareRebalance(1, 0));
        assertTrue(e.getMessage().contains("from PreparingRebalance to PreparingRebalance"), e.getMessage());
    }

    @Test
    void refusedNextGenerationChangesNothing() {
        stable(0);
        int generation = group.generationId;
        IllegalStateException e = refused(() -> group.initNextGeneration(10));
        assertTrue(e.getMessage().contains("from Stable to CompletingRebalance"), e.getMessage());
        assertEquals(generation, group.generationId, "no generation bump on a refused move");
        assertEquals(GroupState.STABLE, group.state());
        assertEquals("range", group.protocolName());
        assertEquals("a", group.leaderId);
    }

    @Test
    void nextGenerationOfAGroupWithoutMembersFromEmptyIsRefused() {
        IllegalStateException e = refused(() -> group.initNextGeneration(0));
        assertTrue(e.getMessage().contains("from Empty to Empty"), e.getMessage());
        assertEquals(0, group.generationId);
    }

    @Test
    void deadIsFinal() {
        stable(0);
        group.markDead(5);
        for (Runnable move : List.<Runnable>of(
                () -> group.prepareRebalance(6, 0), () -> group.becomeStable(6), () -> group.initNextGeneration(6))) {
            IllegalStateException e = refused(move);
            assertTrue(e.getMessage().startsWith("Group g cannot move from Dead to "), e.getMessage());
        }
        group.markDead(7); // Kafka's table allows Dead again: a retry of a delete
        assertEquals(GroupState.DEAD, group.state());
    }

    @Test
    void rebalanceFromEmptyWaitsForTheInitialDelayWhichNewcomersExtendUpToTheJoinDeadline() {
        group.add(member("a", null), "consumer");
        group.prepareRebalance(1_000, INITIAL_DELAY_MS);
        assertFalse(group.initialDelayOver(1_299));
        assertTrue(group.initialDelayOver(1_300));

        group.extendInitialDelay(1_200, INITIAL_DELAY_MS);
        assertFalse(group.initialDelayOver(1_499));
        group.extendInitialDelay(5_900, INITIAL_DELAY_MS);
        assertTrue(group.initialDelayOver(6_000), "never past the join deadline");
        assertFalse(group.joinPhaseExpired(5_999));
        assertTrue(group.joinPhaseExpired(6_000));
    }

    @Test
    void rebalanceFromStableHasNoInitialDelay() {
        stable(0);
        group.prepareRebalance(100, INITIAL_DELAY_MS);
        assertTrue(group.initialDelayOver(100));
        group.extendInitialDelay(100, INITIAL_DELAY_MS);
        assertTrue(group.initialDelayOver(100));
    }

    @Test
    void nextGenerationChoosesStrategyAndLeaderAndStartsTheSyncPhase() {
        group.add(member("a", null), "consumer");
        group.prepareRebalance(0, 0);
        group.initNextGeneration(100);

        assertEquals(GroupState.COMPLETING_REBALANCE, group.state());
        assertEquals(1, group.generationId);
        assertEquals("range", group.protocolName());
        assertEquals("a", group.leaderId);
        assertFalse(group.syncPhaseExpired(100 + REBALANCE_TIMEOUT_MS - 1));
        assertTrue(group.syncPhaseExpired(100 + REBALANCE_TIMEOUT_MS));

        group.becomeStable(200);
        assertFalse(group.syncPhaseExpired(Long.MAX_VALUE), "a stable group has no sync deadline");
        assertEquals(
                new GroupRecord.GroupMetadata.Value("consumer", 1, "range", "a", 200),
                group.storedGeneration("consumer"));
    }

    @Test
    void nextGenerationWithoutMembersEmptiesTheGroup() {
        stable(0);
        group.prepareRebalance(10, 0);
        group.remove("a");
        group.initNextGeneration(20);

        assertEquals(GroupState.EMPTY, group.state());
        assertEquals(2, group.generationId, "Kafka bumps the generation of a group that empties");
        assertNull(group.protocolName());
        assertNull(group.leaderId);
    }

    @Test
    void restartedStaticMemberTakesOverInstanceIdAndLeadership() {
        group.add(member("a-1", "a"), "consumer");
        group.add(member("b-1", "b"), "consumer");
        group.replaceStaticMember("a-1", member("a-2", "a"));

        assertEquals(List.of("b-1", "a-2"), List.copyOf(group.members.keySet()));
        assertEquals(Map.of("a", "a-2", "b", "b-1"), group.staticMembers);
        assertEquals("a-2", group.leaderId);
    }

    @Test
    void replacingAMemberThatDoesNotHoldTheInstanceIdIsRefused() {
        group.add(member("a-1", "a"), "consumer");
        group.add(member("b-1", "b"), "consumer");
        assertThrows(IllegalStateException.class, () -> group.replaceStaticMember("b-1", member("a-2", "a")));
        assertEquals(List.of("a-1", "b-1"), List.copyOf(group.members.keySet()));
    }

    @Test
    void storedGenerationIsLoadedOnlyIntoAGroupWithoutMembers() {
        GroupRecord.GroupMetadata.Value stored =
                new GroupRecord.GroupMetadata.Value("consumer", 7, "range", "m-1", 400);
        group.loadGeneration(stored);
        assertEquals(7, group.generationId);
        assertEquals(GroupState.EMPTY, group.state());
        assertTrue(group.exists());

        group.add(member("a", null), "consumer");
        assertThrows(IllegalStateException.class, () -> group.loadGeneration(stored));
    }

    @Test
    void viewsAreReadOnly() {
        group.add(member("a", "x"), "consumer");
        group.applyOffset(P0, offset(1), 0);
        group.addPendingTxnOffset(9, P1, offset(2), 1);
        assertThrows(UnsupportedOperationException.class, () -> group.members.clear());
        assertThrows(UnsupportedOperationException.class, () -> group.staticMembers.clear());
        assertThrows(UnsupportedOperationException.class, () -> group.offsets.clear());
        assertThrows(UnsupportedOperationException.class, () -> group.pendingTxnOffsets.clear());
    }

    @Test
    void committedTransactionNeverOverwritesANewerRecord() {
        group.addPendingTxnOffset(9, P0, offset(42), 3);
        group.addPendingTxnOffset(9, P1, offset(8), 4);
        group.applyOffset(P0, offset(50), 5);

        group.completeTxnOffsets(9, TransactionResult.COMMIT);

        assertEquals(Map.of(P0, offset(50), P1, offset(8)), Map.copyOf(group.offsets));
        assertFalse(group.hasPendingTxnOffsets(9));
    }

    @Test
    void abortedTransactionsOffsetsAreDropped() {
        group.addPendingTxnOffset(9, P0, offset(42), 3);
        assertTrue(group.hasPendingTxnOffset(P0));

        group.completeTxnOffsets(9, TransactionResult.ABORT);

        assertTrue(group.offsets.isEmpty());
        assertFalse(group.hasPendingTxnOffset(P0));
        group.completeTxnOffsets(9, TransactionResult.COMMIT); // a second marker finds nothing pending
        assertTrue(group.offsets.isEmpty());
    }

    @Test
    void deletionTombstonesEveryPartitionEverCommittedOrHeld() {
        group.rememberCommitted(P0);
        group.applyOffset(P1, offset(3), 0);
        group.markDead(1);

        assertEquals(Set.of(P0, P1), group.tombstonePartitions());
        group.clearOffsets();
        assertTrue(group.offsets.isEmpty());
    }
}
