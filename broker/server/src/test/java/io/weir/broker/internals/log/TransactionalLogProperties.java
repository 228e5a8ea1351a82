package io.weir.broker.internals.log;

import io.weir.broker.internals.log.TransactionalLogWorld.Fencing;
import io.weir.transactions.TransactionResult;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterTry;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * A partition {@link Log} against {@link TransactionalLogModel} over chains of what it goes through: two
 * idempotent and two transactional producers send their next batches, resend recent ones, and send as
 * zombies of an older epoch; plain batches come in between; the coordinator writes offset commits and COMMIT
 * or ABORT markers, sometimes fencing the producer with a bumped epoch, from a new coordinator, or from a
 * zombie one; segments roll; the log is reopened cleanly, after a crash that lost nothing, after a crash that
 * cut the active segment's tail at a random byte, and after a crash with its newest producer-state snapshot
 * corrupted.
 *
 * <p>Checked at each append: refused, acknowledged as a duplicate with the original's offsets, or appended at
 * the log end, as the model says. Named invariants after every step: the log end, high watermark and last
 * stable offset are the model's; so are the producer entries and the aborted transactions; and reading the
 * log from the start under read_committed, filtering each fetch with its aborted transactions as a consumer
 * does, yields exactly the committed and non-transactional records and stops at the last stable offset.
 *
 * <p>Seeds are fixed, so the suite is deterministic; jqwik prints the seed and the chain of a failure.
 */
class TransactionalLogProperties {
    private final List<TransactionalLogWorld> worlds = new ArrayList<>();

    @Property(tries = 80, seed = "20261122")
    void logFollowsTheModel(@ForAll("chains") ActionChain<TransactionalLogWorld> chain) {
        chain.withInvariant("offsets agree with the model", TransactionalLogWorld::offsetsAgreeWithTheModel)
                .withInvariant(
                        "producer state agrees with the model", TransactionalLogWorld::producersAgreeWithTheModel)
                .withInvariant(
                        "aborted transactions agree with the model",
                        TransactionalLogWorld::abortedTransactionsAgreeWithTheModel)
                .withInvariant(
                        "read_committed yields exactly the committed records",
                        TransactionalLogWorld::readCommittedYieldsExactlyTheCommittedRecords)
                .run();
    }

    @AfterTry
    void removeLogs() throws IOException {
        for (TransactionalLogWorld world : worlds) {
            world.close();
        }
        worlds.clear();
    }

    @Provide
    Arbitrary<ActionChain<TransactionalLogWorld>> chains() {
        return ActionChain.startWith(() -> {
                    TransactionalLogWorld world = new TransactionalLogWorld();
                    worlds.add(world);
                    return world;
                })
                .withAction(12, sendNext())
                .withAction(4, resend())
                .withAction(1, sendAsZombie())
                .withAction(3, sendPlain())
                .withAction(2, coordinatorBatch())
                .withAction(6, endTransaction())
                .withAction(2, roll())
                .withAction(1, reopenCleanly())
                .withAction(1, crashAndReopen())
                .withAction(1, crashCuttingTheTail())
                .withAction(1, corruptNewestSnapshotAndCrash())
                .withMaxTransformations(50);
    }

    // ---- actions -------------------------------------------------------------------------------------------

    private static Action<TransactionalLogWorld> action(
            Function<TransactionalLogWorld, Arbitrary<Transformer<TransactionalLogWorld>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public Arbitrary<Transformer<TransactionalLogWorld>> transformer(TransactionalLogWorld w) {
                return transformer.apply(w);
            }
        };
    }

    private static Arbitrary<Long> producer() {
        return Arbitraries.of(TransactionalLogWorld.PRODUCERS);
    }

    private static Arbitrary<Long> transactionalProducer() {
        return Arbitraries.of(TransactionalLogWorld.TRANSACTIONAL);
    }

    private static Action<TransactionalLogWorld> sendNext() {
        return action(
                w -> Combinators.combine(producer(), Arbitraries.integers().between(1, 3))
                        .as((pid, records) -> Transformer.mutate(
                                "producer " + pid + " sends its next " + records, x -> x.sendNext(pid, records))));
    }

    private static Action<TransactionalLogWorld> resend() {
        return action(
                w -> Combinators.combine(producer(), Arbitraries.integers().between(0, 4))
                        .as((pid, back) -> Transformer.mutate(
                                "producer " + pid + " resends its batch " + back + " before the newest",
                                x -> x.resend(pid, back))));
    }

    private static Action<TransactionalLogWorld> sendAsZombie() {
        return action(w -> producer()
                .map(pid -> Transformer.mutate("a zombie of producer " + pid + " sends", x -> x.sendAsZombie(pid))));
    }

    private static Action<TransactionalLogWorld> sendPlain() {
        return action(w -> Arbitraries.integers()
                .between(1, 4)
                .map(n -> Transformer.mutate("a plain batch of " + n, x -> x.sendPlain(n))));
    }

    private static Action<TransactionalLogWorld> coordinatorBatch() {
        return action(w -> transactionalProducer()
                .map(pid -> Transformer.mutate(
                        "the coordinator commits offsets for producer " + pid, x -> x.coordinatorBatch(pid))));
    }

    private static Action<TransactionalLogWorld> endTransaction() {
        Arbitrary<Fencing> fencing = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.just(Fencing.NONE)),
                Tuple.of(2, Arbitraries.just(Fencing.BUMP_PRODUCER)),
                Tuple.of(1, Arbitraries.just(Fencing.NEW_COORDINATOR)),
                Tuple.of(1, Arbitraries.just(Fencing.ZOMBIE_COORDINATOR)));
        return action(
                w -> Combinators.combine(transactionalProducer(), Arbitraries.of(TransactionResult.class), fencing)
                        .as((pid, result, how) -> Transformer.mutate(
                                "the coordinator writes " + result + " for producer " + pid + " (fencing: " + how + ")",
                                x -> x.endTransaction(pid, result, how))));
    }

    private static Action<TransactionalLogWorld> roll() {
        return action(w -> Arbitraries.just(Transformer.mutate("roll", TransactionalLogWorld::roll)));
    }

    private static Action<TransactionalLogWorld> reopenCleanly() {
        return action(
                w -> Arbitraries.just(Transformer.mutate("close and reopen", TransactionalLogWorld::reopenCleanly)));
    }

    private static Action<TransactionalLogWorld> crashAndReopen() {
        return action(
                w -> Arbitraries.just(Transformer.mutate("crash and reopen", TransactionalLogWorld::crashAndReopen)));
    }

    private static Action<TransactionalLogWorld> crashCuttingTheTail() {
        return action(w -> Arbitraries.doubles()
                .between(0, 1)
                .map(fraction ->
                        Transformer.mutate("crash losing the active segment from " + fraction + " of its length", x -> {
                            try {
                                x.crashCuttingTheTail(fraction);
                            } catch (IOException e) {
                                throw new IllegalStateException("could not cut the segment", e);
                            }
                        })));
    }

    private static Action<TransactionalLogWorld> corruptNewestSnapshotAndCrash() {
        return action(w -> Arbitraries.just(Transformer.mutate("crash with the newest snapshot corrupted", x -> {
            try {
                x.corruptNewestSnapshotAndCrash();
            } catch (IOException e) {
                throw new IllegalStateException("could not corrupt the snapshot", e);
            }
        })));
    }
}
