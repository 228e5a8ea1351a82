package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.broker.GroupCoordinatorConfig;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.HeartbeatRequest;
import io.weir.common.protocol.JoinGroupRequest;
import io.weir.common.protocol.JoinGroupRequest.Protocol;
import io.weir.common.protocol.JoinGroupResponse;
import io.weir.common.protocol.LeaveGroupRequest;
import io.weir.common.protocol.LeaveGroupResponse;
import io.weir.common.protocol.OffsetCommitRequest;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.OffsetCommitResponse;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.OffsetFetchResponse;
import io.weir.common.protocol.SyncGroupRequest;
import io.weir.common.protocol.SyncGroupResponse;
import io.weir.common.utils.MockTime;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;

/**
 * One coordinator under test, built the way the broker builds it but with a manual clock, an
 * {@link InMemoryGroupStore}, a direct executor for store continuations and member ids from a counter
 * ({@code client-1}, {@code client-2}, ...), plus the requests the tests send. Every member uses
 * {@link #SESSION_MS} and {@link #REBALANCE_MS} unless a test says otherwise.
 */
final class GroupFixture {
    static final String GROUP = "g";
    static final String CLIENT = "client";
    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 30_000;
    /** Session range [1 s, 60 s], no initial delay, at most 10 members, 64 bytes of offset metadata. */
    static final GroupCoordinatorConfig CONFIG = new GroupCoordinatorConfig(
            1_000, 60_000, 0, 10, 64, 1, GroupCoordinatorConfig.DEFAULTS.offsetsTopicSegmentBytes(), 5_000);

    final MockTime time = new MockTime();
    final InMemoryGroupStore store = new InMemoryGroupStore();
    final GroupCoordinator coordinator;
    final OffsetCoordinator offsets;
    private final AtomicInteger ids = new AtomicInteger();

    GroupFixture() {
        this(CONFIG);
    }

    GroupFixture(GroupCoordinatorConfig config) {
        coordinator =
                new GroupCoordinator(config, time, store, Runnable::run, () -> Integer.toString(ids.incrementAndGet()));
        offsets = new OffsetCoordinator(coordinator);
    }

    /** {@link #CONFIG} with another initial rebalance delay and group size limit. */
    static GroupCoordinatorConfig config(int initialDelayMs, int maxSize) {
        return new GroupCoordinatorConfig(
                CONFIG.minSessionTimeoutMs(),
                CONFIG.maxSessionTimeoutMs(),
                initialDelayMs,
                maxSize,
                CONFIG.offsetMetadataMaxBytes(),
                CONFIG.offsetsTopicPartitions(),
                CONFIG.offsetsTopicSegmentBytes(),
                CONFIG.offsetCommitTimeoutMs());
    }

    // ---- answers held by the coordinator ------------------------------------------------------------------

    /** Records every answer to one call, so a test can tell "not yet" from "once" from "twice". */
    static class Call<T> implements Consumer<T> {
        final List<T> answers = new ArrayList<>();

        @Override
        public void accept(T answer) {
            answers.add(answer);
        }

        boolean answered() {
            return !answers.isEmpty();
        }

        T answer() {
            assertEquals(1, answers.size(), "the call must be answered exactly once, was: " + answers);
            return answers.get(0);
        }
    }

    static final class JoinCall extends Call<JoinGroupResponse> {
        Errors error() {
            return answer().error().error();
        }

        String memberId() {
            return answer().memberId();
        }

        int generation() {
            return answer().generationId();
        }
    }

    static final class SyncCall extends Call<SyncGroupResponse> {
        Errors error() {
            return answer().error().error();
        }

        String assignment() {
            return new String(answer().assignment(), StandardCharsets.UTF_8);
        }
    }

    // ---- requests ------------------------------------------------------------------------------------------

    static Protocol protocol(String name, String subscription) {
        return new Protocol(name, subscription.getBytes(StandardCharsets.UTF_8));
    }

    /** Strategies in order of preference, each with the subscription "topic-a". */
    static List<Protocol> protocols(String... names) {
        return Arrays.stream(names).map(n -> protocol(n, "topic-a")).toList();
    }

    static JoinGroupRequest joinRequest(String memberId, String instanceId, List<Protocol> protocols) {
        return new JoinGroupRequest(
                GROUP, SESSION_MS, REBALANCE_MS, memberId, instanceId, CLIENT, "consumer", protocols);
    }

    JoinCall join(JoinGroupRequest request) {
        JoinCall call = new JoinCall();
        coordinator.join(request, call);
        return call;
    }

    /** A new dynamic member joining with the "range" strategy. */
    JoinCall joinNew() {
        return join(joinRequest("", null, protocols("range")));
    }

    /** A new static member joining (or restarting) with {@code instanceId} and the "range" strategy. */
    JoinCall joinStatic(String instanceId) {
        return join(joinRequest("", instanceId, protocols("range")));
    }

    /** A known member rejoining with unchanged strategies. */
    JoinCall rejoin(String memberId) {
        return join(joinRequest(memberId, null, protocols("range")));
    }

    SyncCall sync(String memberId, String instanceId, int generation, Map<String, byte[]> assignments) {
        SyncCall call = new SyncCall();
        coordinator.sync(
                new SyncGroupRequest(GROUP, generation, memberId, instanceId, "consumer", null, assignments), call);
        return call;
    }

    SyncCall sync(String memberId, int generation, Map<String, byte[]> assignments) {
        return sync(memberId, null, generation, assignments);
    }

    /** A follower's sync: no assignments. */
    SyncCall sync(String memberId, int generation) {
        return sync(memberId, generation, Map.of());
    }

    Errors heartbeat(String memberId, String instanceId, int generation) {
        return coordinator
                .heartbeat(new HeartbeatRequest(GROUP, generation, memberId, instanceId))
                .error()
                .error();
    }

    Errors heartbeat(String memberId, int generation) {
        return heartbeat(memberId, null, generation);
    }

    LeaveGroupResponse leave(String memberId) {
        return coordinator.leave(
                new LeaveGroupRequest(GROUP, List.of(new LeaveGroupRequest.MemberIdentity(memberId, null, "test"))));
    }

    /** Advances the manual clock and lets the coordinator act on whatever expired. */
    void advance(long ms) {
        time.sleep(ms);
        coordinator.poll();
    }

    Group group() {
        return coordinator.groups.get(GROUP);
    }

    GroupState state() {
        return group().state();
    }

    /** Assignment bytes naming their member, so a test sees who got whose. */
    static byte[] assignmentFor(String memberId) {
        return ("partitions-of-" + memberId).getBytes(StandardCharsets.UTF_8);
    }

    static Map<String, byte[]> assignmentsFor(List<String> memberIds) {
        Map<String, byte[]> out = new HashMap<>();
        memberIds.forEach(id -> out.put(id, assignmentFor(id)));
        return out;
    }

    // ---- offsets -------------------------------------------------------------------------------------------

    static CommittedOffset offset(long offset) {
        return new CommittedOffset(offset, -1, "", -1);
    }

    OffsetCommitResponse commit(String memberId, int generation, Map<TopicPartition, CommittedOffset> offsetsToCommit) {
        return offsets.commit(new OffsetCommitRequest(GROUP, generation, memberId, null, offsetsToCommit))
                .join();
    }

    /** The offsets a fetch of every partition returns, as partition to offset. */
    Map<TopicPartition, Long> fetchAll() {
        OffsetFetchResponse response = offsets.fetch(new OffsetFetchRequest(GROUP, null));
        assertEquals(Errors.NONE, response.error().error(), "fetch of group " + GROUP);
        Map<TopicPartition, Long> out = new LinkedHashMap<>();
        response.offsets().forEach((tp, data) -> out.put(tp, data.offset()));
        return out;
    }

    // ---- a group in a known shape --------------------------------------------------------------------------

    /** A Stable group; {@code memberIds} has the leader first. */
    record StableGroup(int generation, List<String> memberIds) {
        String leader() {
            return memberIds.get(0);
        }

        String follower() {
            return memberIds.get(1);
        }
    }

    /**
     * Brings {@code n} dynamic members into a Stable group the way clients do: all join, the first member
     * (already of generation 1) rejoins, the leader syncs every member's assignment, the others sync.
     */
    StableGroup stableGroupOf(int n) {
        JoinCall first = joinNew();
        List<JoinCall> others = new ArrayList<>();
        for (int i = 1; i < n; i++) {
            others.add(joinNew());
        }
        JoinCall leaderJoin = n == 1 ? first : rejoin(first.memberId());
        List<String> ids = new ArrayList<>();
        ids.add(leaderJoin.memberId());
        others.forEach(c -> ids.add(c.memberId()));
        int generation = leaderJoin.generation();
        assertEquals(
                Errors.NONE, sync(ids.get(0), generation, assignmentsFor(ids)).error());
        for (int i = 1; i < n; i++) {
            assertEquals(Errors.NONE, sync(ids.get(i), generation).error());
        }
        assertEquals(GroupState.STABLE, state());
        return new StableGroup(generation, List.copyOf(ids));
    }
}
