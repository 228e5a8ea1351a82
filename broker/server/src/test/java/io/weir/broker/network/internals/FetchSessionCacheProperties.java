package io.weir.broker.network.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.FetchRequest.PartitionFetch;
import io.weir.common.protocol.FetchResponse.PartitionData;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;
import org.apache.kafka.common.protocol.Errors;

/**
 * {@link FetchSessionCache} against a plain model of Kafka's fetch-session rules, over chains of full fetches
 * (creating a session or not, closing the one they name), incremental fetches (to a live session at the right
 * epoch, a wrong epoch, or a session that is gone; adding and forgetting partitions, sometimes all of them),
 * closes (epoch -1) and a clock that moves past the eviction time, with a cache of three slots so new sessions
 * keep evicting old ones. Each fetch is answered with made-up partition states (some with records, high
 * watermarks that change or stay).
 *
 * <p>Checked at each fetch: the context (error, full, incremental) is the model's; the answer's session id is
 * the model's (a new one exactly when the model creates one) and it carries exactly the partitions the model says
 * changed, in the session's order. Invariants after every step: the cache holds the model's sessions, each with
 * the model's partitions in the model's order and the model's next epoch, and never more than its slots.
 *
 * <p>Seeds are fixed, so the suite is deterministic; jqwik prints the seed and the chain of a failure.
 */
class FetchSessionCacheProperties {
    private static final int SLOTS = 3;
    private static final List<TopicPartition> PARTITIONS = List.of(
            new TopicPartition("a", 0),
            new TopicPartition("a", 1),
            new TopicPartition("a", 2),
            new TopicPartition("b", 0),
            new TopicPartition("b", 1),
            new TopicPartition("c", 0));

    @Property(tries = 300, seed = "20261207")
    void cacheFollowsTheModel(@ForAll("chains") ActionChain<World> chain) {
        chain.withInvariant("the cache holds the model's sessions", World::agreesWithModel)
                .withInvariant("no more sessions than slots", w -> assertTrue(w.cache.size() <= SLOTS))
                .run();
    }

    @Provide
    Arbitrary<ActionChain<World>> chains() {
        return ActionChain.startWith(World::new)
                .withAction(4, fullFetch())
                .withAction(8, incrementalFetch())
                .withAction(2, wrongEpoch())
                .withAction(1, unknownSession())
                .withAction(2, close())
                .withAction(3, advanceClock())
                .withMaxTransformations(60);
    }

    // ---- actions -------------------------------------------------------------------------------------------

    private static Arbitrary<List<TopicPartition>> someParts(int min) {
        return Arbitraries.of(PARTITIONS).list().uniqueElements().ofMinSize(min).ofMaxSize(PARTITIONS.size());
    }

    private static Arbitrary<Long> answerSeeds() {
        return Arbitraries.longs();
    }

    private static Action<World> always(Arbitrary<Transformer<World>> transformers) {
        return new Action.Independent<>() {
            @Override
            public Arbitrary<Transformer<World>> transformer() {
                return transformers;
            }
        };
    }

    private static Action<World> fullFetch() {
        return always(Combinators.combine(someParts(0), answerSeeds(), Arbitraries.of(true, false))
                .as((parts, seed, namesOne) -> Transformer.<World>mutate(
                        "full fetch of " + parts + (namesOne ? " naming a live session" : ""),
                        w -> w.full(parts, seed, namesOne))));
    }

    /** An action on one of the live sessions, picked from the model; none while there is no session. */
    private static Action<World> onASession(Function<Integer, Arbitrary<Transformer<World>>> transformers) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(World w) {
                return !w.model.isEmpty();
            }

            @Override
            public Arbitrary<Transformer<World>> transformer(World w) {
                return Arbitraries.of(List.copyOf(w.model.keySet())).flatMap(transformers);
            }
        };
    }

    private static Action<World> incrementalFetch() {
        return onASession(id -> Combinators.combine(someParts(0), someParts(0), answerSeeds(), Arbitraries.of(1, 2))
                .as((adds, forgets, seed, forgetAll) -> Transformer.<World>mutate(
                        "incremental fetch of session " + id + " adding " + adds + " forgetting "
                                + (forgetAll == 1 ? forgets : "all"),
                        x -> x.incremental(id, adds, forgetAll == 1 ? forgets : PARTITIONS, seed))));
    }

    private static Action<World> wrongEpoch() {
        return onASession(id -> Arbitraries.of(-1, 1, 5)
                .map(delta -> Transformer.<World>mutate(
                        "session " + id + " at its epoch " + (delta > 0 ? "+" : "") + delta,
                        x -> x.wrongEpoch(id, delta))));
    }

    private static Action<World> unknownSession() {
        return Action.just(Transformer.<World>mutate("incremental fetch of a session never created", World::unknown));
    }

    private static Action<World> close() {
        return onASession(id -> Arbitraries.just(Transformer.<World>mutate("close session " + id, x -> x.close(id))));
    }

    private static Action<World> advanceClock() {
        return always(Arbitraries.of(1_000L, 60_000L, FetchSessionCache.EVICTION_MS, FetchSessionCache.EVICTION_MS + 1)
                .map(ms -> Transformer.<World>mutate("the clock moves " + ms + " ms", w -> w.time.sleep(ms))));
    }

    // ---- the world -----------------------------------------------------------------------------------------

    /** What the model remembers of a partition: what the client was last told. */
    private static final class Told {
        long highWatermark = -1;
        long logStartOffset = -1;
        long lastStableOffset = -1;
    }

    private static final class ModelSession {
        final int id;
        final long createdMs;
        long lastUsedMs;
        int epoch = 1;
        final LinkedHashMap<TopicPartition, Told> partitions = new LinkedHashMap<>();

        ModelSession(int id, long nowMs) {
            this.id = id;
            this.createdMs = nowMs;
            this.lastUsedMs = nowMs;
        }
    }

    static final class World {
        final MockTime time = new MockTime();
        final Random ids = new Random(42);
        final FetchSessionCache cache = new FetchSessionCache(SLOTS, time, ids::nextInt);
        final Map<Integer, ModelSession> model = new HashMap<>();
        int neverCreated = -7;

        /** Made-up states for {@code parts}: high watermarks from a small range so they often stay the same. */
        static Map<TopicPartition, PartitionData> answer(Set<TopicPartition> parts, long seed) {
            Random r = new Random(seed);
            Map<TopicPartition, PartitionData> out = new HashMap<>();
            for (TopicPartition tp : parts) {
                if (r.nextInt(10) == 0) {
                    out.put(
                            tp,
                            PartitionData.error(
                                    new ApiError(io.weir.common.protocol.Errors.UNKNOWN_TOPIC_OR_PARTITION, "gone")));
                    continue;
                }
                long hw = r.nextInt(3);
                ByteBuffer records = r.nextInt(3) == 0 ? ByteBuffer.allocate(1) : ByteBuffer.allocate(0);
                out.put(tp, new PartitionData(ApiError.NONE, hw, hw, 0, records, List.of()));
            }
            return out;
        }

        static Map<TopicPartition, PartitionFetch> asks(List<TopicPartition> parts) {
            Map<TopicPartition, PartitionFetch> out = new LinkedHashMap<>();
            parts.forEach(tp -> out.put(tp, new PartitionFetch(0, 1024)));
            return out;
        }

        void full(List<TopicPartition> parts, long seed, boolean namesOne) {
            int named = namesOne && !model.isEmpty() ? model.keySet().iterator().next() : 0;
            var context = cache.newContext(named, 0, asks(parts), List.of());
            assertTrue(context instanceof FetchSessionCache.Full, "a full fetch, not " + context);
            model.remove(named);
            var fetched = answer(Set.copyOf(parts), seed);
            var answer = cache.complete(context, fetched);
            assertEquals(parts, answer.included(), "a full answer carries every partition asked for");
            boolean creates = model.size() < SLOTS || modelEvicts(parts.size());
            if (!creates) {
                assertEquals(0, answer.sessionId(), "no slot could be freed, so no session");
                return;
            }
            assertTrue(answer.sessionId() > 0 && !model.containsKey(answer.sessionId()), "a new session id");
            ModelSession s = new ModelSession(answer.sessionId(), time.milliseconds());
            for (TopicPartition tp : parts) {
                Told told = new Told();
                tell(told, fetched.get(tp));
                s.partitions.put(tp, told);
            }
            model.put(s.id, s);
        }

        /** Kafka's eviction rules, written plainly; removes the evicted session from the model. */
        private boolean modelEvicts(int newSize) {
            long now = time.milliseconds();
            ModelSession lru = model.values().stream()
                    .min(Comparator.comparingLong((ModelSession s) -> s.lastUsedMs)
                            .thenComparingInt(s -> s.id))
                    .orElse(null);
            if (lru == null) {
                return false;
            }
            if (now - lru.lastUsedMs > FetchSessionCache.EVICTION_MS) {
                model.remove(lru.id);
                return true;
            }
            ModelSession smallest = model.values().stream()
                    .filter(s -> s.lastUsedMs - s.createdMs > FetchSessionCache.EVICTION_MS)
                    .min(Comparator.comparingInt((ModelSession s) -> s.partitions.size())
                            .thenComparingInt(s -> s.id))
                    .orElse(null);
            if (smallest == null || smallest.partitions.size() >= newSize) {
                return false;
            }
            model.remove(smallest.id);
            return true;
        }

        /** Whether the client must hear of {@code data}, remembering what it is told (Kafka's rule). */
        private static boolean tell(Told told, PartitionData data) {
            if (!data.error().isSuccess()) {
                told.highWatermark = -1;
                return true;
            }
            boolean changed = told.highWatermark != data.highWatermark()
                    || told.logStartOffset != data.logStartOffset()
                    || told.lastStableOffset != data.lastStableOffset();
            told.highWatermark = data.highWatermark();
            told.logStartOffset = data.logStartOffset();
            told.lastStableOffset = data.lastStableOffset();
            return changed || data.records().hasRemaining();
        }

        void incremental(int id, List<TopicPartition> adds, List<TopicPartition> forgets, long seed) {
            ModelSession s = model.get(id);
            var context = cache.newContext(id, s.epoch, asks(adds), forgets);
            adds.forEach(tp -> s.partitions.putIfAbsent(tp, new Told()));
            forgets.forEach(s.partitions::remove);
            if (s.partitions.isEmpty()) {
                model.remove(id);
                assertTrue(context instanceof FetchSessionCache.Full, "an emptied session answers sessionless");
                assertEquals(
                        0,
                        cache.complete(context, answer(Set.copyOf(adds), seed)).sessionId());
                return;
            }
            assertTrue(context instanceof FetchSessionCache.Incremental, "incremental, not " + context);
            assertEquals(
                    List.copyOf(s.partitions.keySet()),
                    List.copyOf(context.toFetch().keySet()));
            s.epoch = s.epoch == Integer.MAX_VALUE ? 1 : s.epoch + 1;
            s.lastUsedMs = time.milliseconds();
            var fetched = answer(s.partitions.keySet(), seed);
            var answer = cache.complete(context, fetched);
            List<TopicPartition> expected = new ArrayList<>();
            List<TopicPartition> toBack = new ArrayList<>();
            s.partitions.forEach((tp, told) -> {
                if (tell(told, fetched.get(tp))) {
                    expected.add(tp);
                    if (fetched.get(tp).records().hasRemaining()) {
                        toBack.add(tp);
                    }
                }
            });
            toBack.forEach(tp -> s.partitions.put(tp, s.partitions.remove(tp)));
            assertEquals(id, answer.sessionId());
            assertEquals(expected, answer.included(), "an incremental answer carries what changed, in order");
        }

        void wrongEpoch(int id, int delta) {
            ModelSession s = model.get(id);
            int epoch = s.epoch + delta;
            if (epoch == 0 || epoch == -1) {
                epoch = s.epoch + 7; // 0 and -1 are full fetches, not wrong epochs
            }
            var context = cache.newContext(id, epoch, asks(PARTITIONS), PARTITIONS);
            assertEquals(Errors.INVALID_FETCH_SESSION_EPOCH, ((FetchSessionCache.SessionError) context).error());
        }

        void unknown() {
            var context = cache.newContext(neverCreated, 1, asks(PARTITIONS), List.of());
            assertEquals(Errors.FETCH_SESSION_ID_NOT_FOUND, ((FetchSessionCache.SessionError) context).error());
        }

        void close(int id) {
            var context = cache.newContext(id, -1, asks(List.of()), List.of());
            assertTrue(context instanceof FetchSessionCache.Full);
            model.remove(id);
            assertEquals(0, cache.complete(context, Map.of()).sessionId(), "a close creates no session");
        }

        void agreesWithModel() {
            assertEquals(model.size(), cache.size(), "sessions held");
            model.values().forEach(s -> {
                assertEquals(List.copyOf(s.partitions.keySet()), cache.partitionsOf(s.id), "partitions of " + s.id);
                assertEquals(s.epoch, cache.expectedEpoch(s.id), "next epoch of " + s.id);
            });
        }

        @Override
        public String toString() {
            return "sessions " + model.keySet();
        }
    }
}
