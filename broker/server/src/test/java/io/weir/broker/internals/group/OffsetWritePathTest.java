package io.weir.broker.internals.group;

import static io.weir.broker.internals.group.GroupFixture.GROUP;
import static io.weir.broker.internals.group.GroupFixture.offset;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Plain and transactional commits take one path ({@link OffsetCoordinator#writeOffsets}): the same validation,
 * the same commit-time stamp, the same per-partition answers.
 */
class OffsetWritePathTest {
    private static final TopicPartition P0 = new TopicPartition("orders", 0);
    private static final TopicPartition P1 = new TopicPartition("orders", 1);
    private static final long PRODUCER = 77L;

    private final GroupFixture f = new GroupFixture();
    private final TxnOffsetCommits txn = new TxnOffsetCommits(f.coordinator, f.offsets);

    /** The two ways offsets are committed without group membership. */
    enum Kind {
        PLAIN,
        TRANSACTIONAL
    }

    private Map<TopicPartition, ApiError> commit(Kind kind, Map<TopicPartition, CommittedOffset> offsets) {
        return switch (kind) {
            case PLAIN -> f.offsets
                    .commit(new OffsetCommitRequest(GROUP, -1, "", null, offsets))
                    .join()
                    .results();
            case TRANSACTIONAL -> txn.commit(
                            new TxnOffsetCommitRequest("app", GROUP, PRODUCER, (short) 0, -1, "", null, offsets))
                    .join()
                    .results();
        };
    }

    private List<CommittedOffset> stored() {
        return f.store.records().stream()
                .map(r -> ((GroupRecord.OffsetCommit) r).value())
                .toList();
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void offsetWithoutCommitTimeIsStampedWithTheBrokersClock(Kind kind) {
        f.time.sleep(1_234);
        long now = f.time.milliseconds();

        commit(kind, Map.of(P0, offset(5)));
        commit(kind, Map.of(P0, new CommittedOffset(6, 3, "meta", 99)));

        assertEquals(List.of(new CommittedOffset(5, -1, "", now), new CommittedOffset(6, 3, "meta", 99)), stored());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void invalidOffsetIsRefusedAloneAndTheRestAppended(Kind kind) {
        Map<TopicPartition, ApiError> results = commit(kind, Map.of(P0, offset(-1), P1, offset(8)));

        assertEquals(Errors.INVALID_REQUEST, results.get(P0).error());
        assertEquals(Errors.NONE, results.get(P1).error());
        assertEquals(
                List.of(offset(8).offset()),
                stored().stream().map(CommittedOffset::offset).toList());
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void commitWithNothingValidRetiresTheGroupItCreated(Kind kind) {
        Map<TopicPartition, ApiError> results =
                commit(kind, Map.of(P0, new CommittedOffset(1, -1, "x".repeat(65), -1)));

        assertEquals(Errors.OFFSET_METADATA_TOO_LARGE, results.get(P0).error());
        assertNull(f.coordinator.groups.get(GROUP));
        assertEquals(List.of(), f.store.appended);
    }

    @ParameterizedTest
    @EnumSource(Kind.class)
    void failedAppendAnswersEveryAppendedPartitionNamingWhatWasStored(Kind kind) {
        f.store.mode(InMemoryGroupStore.Mode.FAIL);

        Map<TopicPartition, ApiError> results = commit(kind, Map.of(P0, offset(1), P1, offset(-1)));

        assertEquals(Errors.COORDINATOR_NOT_AVAILABLE, results.get(P0).error());
        assertTrue(
                results.get(P0)
                        .message()
                        .startsWith(
                                kind == Kind.PLAIN
                                        ? "Could not store offsets of group " + GROUP
                                        : "Could not store the transactional offsets of group " + GROUP
                                                + " for producer " + PRODUCER),
                results.get(P0).message());
        assertEquals(Errors.INVALID_REQUEST, results.get(P1).error(), "a refused offset keeps its own answer");
    }
}
