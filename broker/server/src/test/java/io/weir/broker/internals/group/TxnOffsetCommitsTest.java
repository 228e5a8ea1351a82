package io.weir.broker.internals.group;

import static io.weir.broker.internals.group.GroupFixture.GROUP;
import static io.weir.broker.internals.group.GroupFixture.offset;
import static io.weir.broker.internals.group.InMemoryGroupStore.PARTITION;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.internals.group.GroupFixture.StableGroup;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListGroupsResponse;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.OffsetDeleteRequest;
import io.weir.common.protocol.OffsetDeleteResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.protocol.TxnOffsetCommitResponse;
import io.weir.transactions.TransactionResult;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Transactional offset commits: validation, pending until the marker, and replay on load. */
class TxnOffsetCommitsTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final long PRODUCER = 77L;
    private static final long OTHER_PRODUCER = 78L;

    private final GroupFixture f = new GroupFixture();
    private final TxnOffsetCommits txn = new TxnOffsetCommits(f.coordinator, f.offsets);

    private TxnOffsetCommitResponse commit(
            long producerId,
            int generation,
            String memberId,
            String instanceId,
            Map<TopicPartition, CommittedOffset> offsets) {
        return txn.commit(new TxnOffsetCommitRequest(
                        "app", GROUP, producerId, (short) 0, generation, memberId, instanceId, offsets))
                .join();
    }

    private TxnOffsetCommitResponse commitWithoutGroupMetadata(
            long producerId, Map<TopicPartition, CommittedOffset> offsets) {
        return commit(producerId, -1, "", null, offsets);
    }

    private void marker(long producerId, TransactionResult result) {
        f.store.appendMarker();
        txn.onMarker(PARTITION, producerId, result);
    }

    private static void assertAll(Errors expected, TxnOffsetCommitResponse response) {
        for (ApiError e : response.results().values()) {
            assertEquals(expected, e.error(), e.message());
        }
    }

    @Test
    void offsetsAreAppendedTransactionallyAndInvisibleUntilTheCommitMarker() {
        assertAll(Errors.NONE, commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42), P1, offset(7))));
        assertEquals(PRODUCER, f.store.appended.get(0).producerId(), "a transactional batch of the producer");
        assertEquals(Map.of(), f.fetchAll());
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 42L, P1, 7L), f.fetchAll());
        assertTrue(f.group().pendingTxnOffsets.isEmpty());
    }

    @Test
    void aStableOnlyFetchIsAnsweredUnstableWhileATransactionHoldsTheOffset() {
        f.commit("", -1, Map.of(P0, offset(5)));
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        OffsetFetchRequest stable = new OffsetFetchRequest(GROUP, List.of(P0, P1), true);
        OffsetFetchResponse during = f.offsets.fetch(stable);
        assertEquals(
                Errors.UNSTABLE_OFFSET_COMMIT, during.offsets().get(P0).error().error());
        assertEquals(Errors.NONE, during.offsets().get(P1).error().error(), "only the partition the transaction holds");
        assertEquals(
                5L,
                f.offsets
                        .fetch(new OffsetFetchRequest(GROUP, List.of(P0)))
                        .offsets()
                        .get(P0)
                        .offset(),
                "a plain fetch still sees the last committed offset");
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(42L, f.offsets.fetch(stable).offsets().get(P0).offset());
    }

    @Test
    void abortMarkerDiscardsThem() {
        f.commit("", -1, Map.of(P0, offset(5)));
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        marker(PRODUCER, TransactionResult.ABORT);
        assertEquals(Map.of(P0, 5L), f.fetchAll());
        assertTrue(f.group().pendingTxnOffsets.isEmpty());
    }

    @Test
    void markerOfAnotherProducerOrPartitionLeavesThemPending() {
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        marker(OTHER_PRODUCER, TransactionResult.COMMIT);
        txn.onMarker(new TopicPartition(OffsetsTopicStore.TOPIC, 9), PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(), f.fetchAll());
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 42L), f.fetchAll());
    }

    @Test
    void commitFromAFencedGenerationIsRefusedAndNothingIsAppended() {
        StableGroup g = f.stableGroupOf(2);
        TxnOffsetCommitResponse response =
                commit(PRODUCER, g.generation() - 1, g.follower(), null, Map.of(P0, offset(42)));
        assertAll(Errors.ILLEGAL_GENERATION, response);
        String message = response.results().get(P0).message();
        assertTrue(message.contains(GROUP) && message.contains("generation " + (g.generation() - 1)), message);
        assertTrue(f.store.appended.stream().noneMatch(b -> b.producerId() == PRODUCER));
    }

    @Test
    void commitFromAnUnknownMemberIsRefused() {
        f.stableGroupOf(1);
        assertAll(Errors.UNKNOWN_MEMBER_ID, commit(PRODUCER, -1, "ghost", null, Map.of(P0, offset(42))));
    }

    @Test
    void commitFromAFencedStaticInstanceIsRefused() {
        String holder = f.joinStatic("instance-1").memberId();
        TxnOffsetCommitResponse response = commit(PRODUCER, -1, "old-" + holder, "instance-1", Map.of(P0, offset(42)));
        assertAll(Errors.FENCED_INSTANCE_ID, response);
    }

    @Test
    void currentGenerationOfAStableGroupCommits() {
        StableGroup g = f.stableGroupOf(2);
        assertAll(Errors.NONE, commit(PRODUCER, g.generation(), g.follower(), null, Map.of(P0, offset(42))));
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 42L), f.fetchAll());
    }

    @Test
    void invalidOffsetIsRefusedPerPartition() {
        TxnOffsetCommitResponse response = commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(-3), P1, offset(7)));
        assertEquals(Errors.INVALID_REQUEST, response.results().get(P0).error());
        assertEquals(Errors.NONE, response.results().get(P1).error());
    }

    @Test
    void aLaterPlainCommitWinsOverAnEarlierTransactionalOne() {
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        f.commit("", -1, Map.of(P0, offset(50)));
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 50L), f.fetchAll(), "the log holds a newer record for the partition");
    }

    @Test
    void theLaterOfTwoTransactionsWinsWhicheverCommitsFirst() {
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        commitWithoutGroupMetadata(OTHER_PRODUCER, Map.of(P0, offset(60)));
        marker(OTHER_PRODUCER, TransactionResult.COMMIT);
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 60L), f.fetchAll());
    }

    @Test
    void groupWithOnlyPendingOffsetsIsListed() {
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        assertEquals(
                java.util.List.of(GROUP),
                f.offsets.list().groups().stream()
                        .map(ListGroupsResponse.ListedGroup::groupId)
                        .toList());
    }

    @Test
    void loadBuffersTransactionalOffsetsUntilTheirMarker() {
        txn.loadTransactional(new GroupRecord.OffsetCommit(GROUP, P0, offset(42)), PRODUCER, 3);
        txn.loadTransactional(new GroupRecord.OffsetCommit(GROUP, P1, offset(8)), OTHER_PRODUCER, 4);
        f.offsets.load(new GroupRecord.OffsetCommit(GROUP, P1, offset(1)), 2);
        txn.onMarker(PARTITION, PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 42L, P1, 1L), f.fetchAll(), "the other producer's offsets wait for its marker");
        assertEquals(
                java.util.Set.of(OTHER_PRODUCER), f.group().pendingTxnOffsets.keySet());
    }

    /** Replays {@code f}'s offsets topic into a fresh coordinator, with {@code producerId}'s marker after every record. */
    private GroupFixture reloadWithMarkerAtEnd(long producerId, TransactionResult result) {
        GroupFixture reloaded = new GroupFixture();
        TxnOffsetCommits reloadedTxn = new TxnOffsetCommits(reloaded.coordinator, reloaded.offsets);
        long logOffset = 0;
        for (var batch : f.store.appended) {
            for (GroupRecord r : batch.records()) {
                if (batch.producerId() >= 0) {
                    reloadedTxn.loadTransactional((GroupRecord.OffsetCommit) r, batch.producerId(), logOffset++);
                } else {
                    reloaded.offsets.load(r, logOffset++);
                }
            }
        }
        reloadedTxn.onMarker(PARTITION, producerId, result);
        return reloaded;
    }

    @Test
    void anOffsetDeleteAlsoDeletesAnOffsetOnlyAnOpenTransactionHoldsAndItsCommitMarkerDoesNotBringItBack() {
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        OffsetDeleteResponse deleted = f.offsets
                .deleteOffsets(new OffsetDeleteRequest(GROUP, List.of(P0)))
                .join();
        assertEquals(Errors.NONE, deleted.partitions().get(P0).error());
        assertEquals(
                new GroupRecord.OffsetCommit(GROUP, P0, null),
                f.store.appended.get(f.store.appended.size() - 1).records().get(0),
                "a tombstone for the partition only the transaction committed");
        assertEquals(
                Errors.NONE,
                f.offsets
                        .fetch(new OffsetFetchRequest(GROUP, List.of(P0), true))
                        .offsets()
                        .get(P0)
                        .error()
                        .error(),
                "the tombstone dropped the pending offset: nothing unstable left");

        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(), f.fetchAll(), "the deleted offset must stay deleted");
        assertEquals(
                Map.of(),
                reloadWithMarkerAtEnd(PRODUCER, TransactionResult.COMMIT).fetchAll(),
                "after reload too");
    }

    @Test
    void aTransactionalOffsetAppendedAfterAnOffsetDeleteStillCommits() {
        f.commit("", -1, Map.of(P0, offset(5)));
        f.offsets.deleteOffsets(new OffsetDeleteRequest(GROUP, List.of(P0))).join();
        commitWithoutGroupMetadata(PRODUCER, Map.of(P0, offset(42)));
        marker(PRODUCER, TransactionResult.COMMIT);
        assertEquals(Map.of(P0, 42L), f.fetchAll());
        assertEquals(
                Map.of(P0, 42L),
                reloadWithMarkerAtEnd(PRODUCER, TransactionResult.COMMIT).fetchAll());
    }
}
