package io.weir.transactions;

import io.weir.transactions.ProducerStateWorld.Client;
import io.weir.transactions.ProducerStateWorld.Sent;
import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * {@link ProducerStateManager} against {@link ProducerStateModel} over chains of what a partition sees: four
 * producers (two transactional) send their next batches, some of which the log then fails to take; they
 * resend recent batches (duplicates) and old ones (beyond the window of five, or from an earlier epoch), skip
 * sequences, bump their epoch, leap to just below Integer.MAX_VALUE in one batch so that later batches wrap,
 * send as fenced zombies and, for the transactional ones, outside their transaction. The coordinator writes
 * unsequenced transactional batches (offset commits) and COMMIT or ABORT markers: under the producer's epoch,
 * a bumped one (fencing it, after which its client restarts at 0) or a stale one, and from a coordinator that
 * stayed, moved to a higher epoch, or is a zombie below the current one. Batches without a producer id take
 * offsets in between. The clock moves past the expiration, or to just before or exactly onto a producer's,
 * and expired producers are removed (their clients then see UNKNOWN_PRODUCER_ID and start a new epoch). The
 * state is snapshotted at any offset, and the partition is reopened from the snapshot, replaying the log
 * (batches, markers, plain batches) from the snapshot's place or earlier, or rebuilt from the whole log as
 * when a snapshot is corrupt.
 *
 * <p>Checked at each send and marker: the verdict is the model's, {@code check} gives it again, a duplicate
 * carries the offsets the log gave the original, and a marker ends the model's transaction. At each reopen:
 * entries the snapshot reflects change nothing when replayed, and without an expiry since the snapshot the
 * reopened state is the state before. Named invariants after every step: the entries and end offset agree
 * with the model; the first unstable offset is the model's oldest open transaction; logged offsets strictly
 * increase and the end offset never goes back.
 *
 * <p>Seeds are fixed, so the suite is deterministic; jqwik prints the seed and the chain of a failure.
 */
class ProducerStateProperties {

    @Property(tries = 200, seed = "20250701")
    void producerStateFollowsTheModel(@ForAll("chains") ActionChain<ProducerStateWorld> chain) {
        chain.withInvariant("entries and end offset agree with the model", ProducerStateWorld::agreesWithModel)
                .withInvariant(
                        "first unstable offset is the oldest open transaction",
                        ProducerStateWorld::firstUnstableOffsetIsTheOldestOpenTransaction)
                .withInvariant("offsets strictly increase", ProducerStateWorld::offsetsStrictlyIncrease)
                .run();
    }

    @Provide
    Arbitrary<ActionChain<ProducerStateWorld>> chains() {
        return ActionChain.startWith(ProducerStateWorld::new)
                .withAction(10, sendNext())
                .withAction(4, resendRecent())
                .withAction(2, resendOld())
                .withAction(2, sendWithGap())
                .withAction(2, bumpEpoch())
                .withAction(1, sendAsZombie())
                .withAction(2, sendToTheTop())
                .withAction(1, strayNonTransactional())
                .withAction(1, nonIdempotent())
                .withAction(2, coordinatorBatch())
                .withAction(4, endTransaction())
                .withAction(3, advanceClock())
                .withAction(1, advanceToExpiry())
                .withAction(2, expire())
                .withAction(2, snapshot())
                .withAction(2, reopenFromSnapshot())
                .withAction(1, reopenFromLog())
                .withMaxTransformations(70);
    }

    // ---- actions -------------------------------------------------------------------------------------------

    private static Action.Dependent<ProducerStateWorld> when(
            Predicate<ProducerStateWorld> precondition,
            Function<ProducerStateWorld, Arbitrary<Transformer<ProducerStateWorld>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(ProducerStateWorld w) {
                return precondition.test(w);
            }

            @Override
            public Arbitrary<Transformer<ProducerStateWorld>> transformer(ProducerStateWorld w) {
                return transformer.apply(w);
            }
        };
    }

    private static Arbitrary<Long> producer() {
        return Arbitraries.of(ProducerStateWorld.PRODUCER_IDS);
    }

    private static Action<ProducerStateWorld> sendNext() {
        return when(w -> true, w -> Combinators.combine(
                        producer(),
                        Arbitraries.integers().between(1, 3),
                        Arbitraries.of(false, false, false, false, false, false, false, true))
                .as((pid, records, fails) -> Transformer.mutate(
                        "producer " + pid + " sends its next " + records + (fails ? ", the append fails" : ""),
                        x -> x.sendNext(pid, records, fails))));
    }

    private static Action<ProducerStateWorld> resendRecent() {
        return when(w -> w.clients.values().stream().anyMatch(c -> !c.sent.isEmpty()), w -> {
            List<Client> senders =
                    w.clients.values().stream().filter(c -> !c.sent.isEmpty()).toList();
            return Arbitraries.of(senders).flatMap(c -> Arbitraries.of(
                            List.copyOf(c.sent.subList(Math.max(0, c.sent.size() - 5), c.sent.size())))
                    .map(batch -> resend(c, batch, "recent")));
        });
    }

    private static Action<ProducerStateWorld> resendOld() {
        return when(w -> w.clients.values().stream().anyMatch(c -> !c.sent.isEmpty()), w -> {
            List<Client> senders =
                    w.clients.values().stream().filter(c -> !c.sent.isEmpty()).toList();
            return Arbitraries.of(senders)
                    .flatMap(c -> Arbitraries.of(List.copyOf(c.sent)).map(batch -> resend(c, batch, "any")));
        });
    }

    private static Transformer<ProducerStateWorld> resend(Client c, Sent batch, String which) {
        return Transformer.mutate("producer " + c.pid + " resends " + which + " " + batch, x -> x.resend(c.pid, batch));
    }

    private static Action<ProducerStateWorld> sendWithGap() {
        return when(w -> true, w -> Combinators.combine(
                        producer(), Arbitraries.integers().between(1, 3))
                .as((pid, gap) -> Transformer.mutate(
                        "producer " + pid + " skips " + gap + " sequences", x -> x.sendWithGap(pid, gap))));
    }

    private static Action<ProducerStateWorld> bumpEpoch() {
        return when(w -> true, w -> producer()
                .map(pid -> Transformer.mutate("producer " + pid + " bumps its epoch", x -> x.bumpEpoch(pid))));
    }

    private static Action<ProducerStateWorld> sendAsZombie() {
        return when(w -> w.clients.values().stream().anyMatch(c -> c.epoch > 0), w -> Arbitraries.of(
                        w.clients.values().stream()
                                .filter(c -> c.epoch > 0)
                                .map(c -> c.pid)
                                .toList())
                .map(pid -> Transformer.mutate(
                        "a fenced instance of producer " + pid + " sends", x -> x.sendAsZombie(pid))));
    }

    private static Action<ProducerStateWorld> sendToTheTop() {
        return when(w -> true, w -> Combinators.combine(
                        producer(), Arbitraries.integers().between(0, 6))
                .as((pid, below) -> Transformer.mutate(
                        "producer " + pid + " sends up to MAX_VALUE - " + below, x -> x.sendToTheTop(pid, below))));
    }

    private static Arbitrary<Long> transactionalProducer() {
        return Arbitraries.of(ProducerStateWorld.TRANSACTIONAL_IDS);
    }

    private static Action<ProducerStateWorld> strayNonTransactional() {
        return when(w -> true, w -> transactionalProducer()
                .map(pid -> Transformer.mutate(
                        "transactional producer " + pid + " sends outside its transaction",
                        x -> x.sendStrayNonTransactional(pid))));
    }

    private static Action<ProducerStateWorld> coordinatorBatch() {
        return when(w -> true, w -> Combinators.combine(
                        transactionalProducer(), Arbitraries.integers().between(1, 3))
                .as((pid, records) -> Transformer.mutate(
                        "the coordinator writes " + records + " offset commits for producer " + pid,
                        x -> x.coordinatorBatch(pid, records))));
    }

    private static Action<ProducerStateWorld> endTransaction() {
        Arbitrary<ProducerStateWorld.MarkerEpoch> epochs = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(ProducerStateWorld.MarkerEpoch.CURRENT)),
                Tuple.of(2, Arbitraries.just(ProducerStateWorld.MarkerEpoch.BUMPED)),
                Tuple.of(1, Arbitraries.just(ProducerStateWorld.MarkerEpoch.STALE)));
        Arbitrary<ProducerStateWorld.CoordinatorEpoch> coordinators = Arbitraries.frequencyOf(
                Tuple.of(8, Arbitraries.just(ProducerStateWorld.CoordinatorEpoch.SAME)),
                Tuple.of(1, Arbitraries.just(ProducerStateWorld.CoordinatorEpoch.NEXT)),
                Tuple.of(1, Arbitraries.just(ProducerStateWorld.CoordinatorEpoch.ZOMBIE)));
        return when(w -> true, w -> Combinators.combine(
                        transactionalProducer(), Arbitraries.of(TransactionResult.class), epochs, coordinators)
                .as((pid, result, epoch, coordinator) -> Transformer.mutate(
                        "the " + coordinator
                                + " coordinator writes a " + result + " marker for producer " + pid + " at its " + epoch
                                + " epoch",
                        x -> x.endTransaction(pid, result, epoch, coordinator))));
    }

    private static Action<ProducerStateWorld> nonIdempotent() {
        return when(w -> true, w -> Arbitraries.integers()
                .between(1, 5)
                .map(n ->
                        Transformer.mutate("a batch of " + n + " without producer id", x -> x.appendNonIdempotent(n))));
    }

    private static Action<ProducerStateWorld> advanceClock() {
        Arbitrary<Long> ms = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, ProducerStateWorld.EXPIRATION_MS / 4)),
                Tuple.of(
                        2,
                        Arbitraries.longs()
                                .between(ProducerStateWorld.EXPIRATION_MS / 2, 2 * ProducerStateWorld.EXPIRATION_MS)));
        return when(w -> true, w -> ms.map(d -> Transformer.mutate("advance " + d + " ms", x -> x.advance(d))));
    }

    private static Action<ProducerStateWorld> advanceToExpiry() {
        return when(w -> true, w -> Combinators.combine(producer(), Arbitraries.of(-1L, 0L))
                .as((pid, delta) -> Transformer.mutate(
                        "advance to " + delta + " ms from producer " + pid + "'s expiry",
                        x -> x.advanceToExpiryOf(pid, delta))));
    }

    private static Action<ProducerStateWorld> expire() {
        return when(
                w -> true,
                w -> Arbitraries.just(Transformer.mutate("remove expired producers", ProducerStateWorld::expire)));
    }

    private static Action<ProducerStateWorld> snapshot() {
        return when(
                w -> true,
                w -> Arbitraries.just(Transformer.mutate("take a snapshot", ProducerStateWorld::takeSnapshot)));
    }

    private static Action<ProducerStateWorld> reopenFromSnapshot() {
        return when(ProducerStateWorld::hasSnapshot, w -> Arbitraries.integers()
                .between(0, w.snapshotLogSize())
                .map(from -> Transformer.mutate(
                        "reopen from the snapshot, replaying from log index " + from,
                        x -> x.reopenFromSnapshot(from))));
    }

    private static Action<ProducerStateWorld> reopenFromLog() {
        return when(
                w -> true,
                w -> Arbitraries.just(
                        Transformer.mutate("reopen without a snapshot", ProducerStateWorld::reopenFromLog)));
    }
}
