package io.weir.transactions.coordinator;

import io.weir.transactions.TransactionResult;
import io.weir.transactions.coordinator.CoordinatorWorld.Grant;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * {@link TransactionCoordinator} against {@link CoordinatorModel} over chains of what a coordinator lives
 * through: producers of three transactional ids initialise (new instances and KIP-360 bumps, with valid and
 * over-the-limit timeouts), add partitions and the offsets partition, commit and abort, and send offsets;
 * old instances keep calling with fenced epochs and made-up producer ids; log and marker writes complete,
 * fail, or lag while other calls arrive; the clock moves past timeouts and the id expiration; {@code poll()}
 * runs; and the coordinator crashes, each write in flight landing or not, and reloads from the log.
 *
 * <p>Checked after every step: each call is answered at most once, exactly when and as the model says; the
 * coordinator's state and pending transitions equal the model's; what is in effect is the latest durable
 * record; every record written follows the table of {@link TransactionState}.
 *
 * <p>Seeds are fixed, so the suite is deterministic; jqwik prints the seed and the chain of a failure.
 */
class CoordinatorProperties {

    @Property(tries = 300, seed = "20250702")
    void coordinatorFollowsTheModel(@ForAll("chains") ActionChain<CoordinatorWorld> chain) {
        chain.withInvariant("state and pending transitions agree with the model", CoordinatorWorld::agreesWithModel)
                .withInvariant("in effect only once durable", CoordinatorWorld::inEffectOnlyOnceDurable)
                .run();
    }

    @Provide
    Arbitrary<ActionChain<CoordinatorWorld>> chains() {
        return ActionChain.startWith(CoordinatorWorld::new)
                .withAction(4, initNewInstance())
                .withAction(2, initBump())
                .withAction(5, addPartitions())
                .withAction(4, endTransaction())
                .withAction(2, beginOffsetWrite())
                .withAction(2, endOffsetWrite())
                .withAction(12, completeLogWrite())
                .withAction(2, failLogWrite())
                .withAction(6, completeMarkers())
                .withAction(1, failMarkers())
                .withAction(3, advanceClock())
                .withAction(3, poll())
                .withAction(1, crash())
                .withMaxTransformations(80);
    }

    private static Action.Dependent<CoordinatorWorld> when(
            Predicate<CoordinatorWorld> precondition,
            Function<CoordinatorWorld, Arbitrary<Transformer<CoordinatorWorld>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(CoordinatorWorld w) {
                return precondition.test(w);
            }

            @Override
            public Arbitrary<Transformer<CoordinatorWorld>> transformer(CoordinatorWorld w) {
                return transformer.apply(w);
            }
        };
    }

    private static Arbitrary<String> id() {
        return Arbitraries.of(CoordinatorWorld.IDS);
    }

    /** Mostly the newest grant of the id; sometimes an older (fenced) one or a producer id nobody was given. */
    private static Arbitrary<Grant> producerOf(CoordinatorWorld w, String id) {
        List<Grant> known = w.grantsOf(id);
        Arbitrary<Grant> madeUp = Arbitraries.just(new Grant(99_999L, (short) 0));
        if (known.isEmpty()) {
            return madeUp;
        }
        return Arbitraries.frequencyOf(
                net.jqwik.api.Tuple.of(8, Arbitraries.just(known.get(known.size() - 1))),
                net.jqwik.api.Tuple.of(3, Arbitraries.of(known)),
                net.jqwik.api.Tuple.of(1, madeUp));
    }

    private static Action<CoordinatorWorld> initNewInstance() {
        return when(w -> true, w -> Combinators.combine(id(), Arbitraries.of(0, 1, 2, 2, 2, 3))
                .as((id, t) -> Transformer.mutate(
                        "a new instance of " + id + " initialises with timeout " + CoordinatorWorld.TIMEOUTS[t],
                        x -> x.init(id, CoordinatorWorld.TIMEOUTS[t], null))));
    }

    private static Action<CoordinatorWorld> initBump() {
        return when(
                w -> CoordinatorWorld.IDS.stream()
                        .anyMatch(id -> !w.grantsOf(id).isEmpty()),
                w -> id().filter(id -> !w.grantsOf(id).isEmpty()).flatMap(id -> producerOf(w, id)
                        .map(g -> Transformer.mutate(
                                "producer " + g + " of " + id + " bumps its epoch (KIP-360)",
                                x -> x.init(id, 5_000, g)))));
    }

    private static Action<CoordinatorWorld> addPartitions() {
        return when(w -> true, w -> id().flatMap(id -> Combinators.combine(
                        producerOf(w, id),
                        Arbitraries.of(CoordinatorWorld.PARTITIONS)
                                .set()
                                .ofMinSize(1)
                                .ofMaxSize(2))
                .as((g, parts) -> Transformer.mutate(
                        "producer " + g + " of " + id + " adds " + parts, x -> x.add(id, g, Set.copyOf(parts))))));
    }

    private static Action<CoordinatorWorld> endTransaction() {
        return when(w -> true, w -> id().flatMap(id -> Combinators.combine(
                        producerOf(w, id), Arbitraries.of(TransactionResult.COMMIT, TransactionResult.ABORT))
                .as((g, result) -> Transformer.mutate(
                        "producer " + g + " of " + id + " ends with " + result, x -> x.end(id, g, result)))));
    }

    private static Action<CoordinatorWorld> beginOffsetWrite() {
        return when(w -> true, w -> id().flatMap(id -> producerOf(w, id)
                .map(g -> Transformer.mutate(
                        "producer " + g + " of " + id + " starts a transactional offset commit",
                        x -> x.beginOffsetWrite(id, g)))));
    }

    private static Action<CoordinatorWorld> endOffsetWrite() {
        return when(w -> w.offsetWrites.values().stream().anyMatch(n -> n > 0), w -> Arbitraries.of(
                        w.offsetWrites.entrySet().stream()
                                .filter(e -> e.getValue() > 0)
                                .map(java.util.Map.Entry::getKey)
                                .toList())
                .map(id ->
                        Transformer.mutate("the offset commit of " + id + " is appended", x -> x.endOffsetWrite(id))));
    }

    private static Action<CoordinatorWorld> completeLogWrite() {
        return when(
                w -> !w.log.inFlight.isEmpty(),
                w -> Arbitraries.just(Transformer.mutate(
                        "the next transaction log write is durable", x -> x.completeLogWrite(true))));
    }

    private static Action<CoordinatorWorld> failLogWrite() {
        return when(
                w -> !w.log.inFlight.isEmpty(),
                w -> Arbitraries.just(
                        Transformer.mutate("the next transaction log write fails", x -> x.completeLogWrite(false))));
    }

    private static Action<CoordinatorWorld> completeMarkers() {
        return when(
                w -> !w.markers.inFlight.isEmpty(),
                w -> Arbitraries.just(
                        Transformer.mutate("the next markers are written", x -> x.completeMarkers(true))));
    }

    private static Action<CoordinatorWorld> failMarkers() {
        return when(
                w -> !w.markers.inFlight.isEmpty(),
                w -> Arbitraries.just(Transformer.mutate("the next markers fail", x -> x.completeMarkers(false))));
    }

    private static Action<CoordinatorWorld> advanceClock() {
        return when(w -> true, w -> Arbitraries.of(100L, 200L, 1_000L, 5_001L, 10_002L, 60_000L)
                .map(ms -> Transformer.mutate("advance " + ms + " ms", x -> x.advance(ms))));
    }

    private static Action<CoordinatorWorld> poll() {
        return when(w -> true, w -> Arbitraries.just(Transformer.mutate("poll", CoordinatorWorld::poll)));
    }

    private static Action<CoordinatorWorld> crash() {
        return when(w -> true, w -> Arbitraries.of(true, false)
                .list()
                .ofMaxSize(4)
                .map(lands -> Transformer.mutate(
                        "crash (writes in flight land: " + lands + ") and reload", x -> x.crashAndReload(lands))));
    }
}
