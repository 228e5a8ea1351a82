package io.weir.properties;

import io.weir.common.utils.MockTime;
import java.io.IOException;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tag;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.Transformer;

/**
 * Exactly-once of the transactional producer and read_committed consumer, under faults (issue 16, property a). Each
 * try is a chain of small named actions over a {@link TransactionalPipeline} — begin, send, commit, abort — mixed with
 * faults, each an action: a duplicated produce request, a stale produce request replayed after later ones, a lost
 * produce answer, a lost coordinator answer (InitProducerId, AddPartitionsToTxn, AddOffsetsToTxn, EndTxn,
 * TxnOffsetCommit), a broker restart clean or crashed (the transaction coordinator reloads from
 * {@code __transaction_state}, the group coordinator from {@code __consumer_offsets}, mid-transaction or not), a
 * zombie producer (a second instance with the same {@code transactional.id}), and a transaction timeout (the broker's
 * clock is a {@link MockTime}, moved past the timeout).
 *
 * <p>Invariant after every step: read_committed shows exactly the committed outputs, each once, in order per
 * partition, nothing of an aborted transaction, and the group's committed offset equals the outputs it reflects.
 *
 * <p>One broker serves every try of the container (each try has its own topics, group and transactional.id, and
 * deletes its topics at the end); its restarts are part of the tries. Seeded; jqwik prints the seed and the shrunk
 * chain of a failure. {@code mvn verify -Dsoak} runs 1,000 tries with random seeds.
 */
class TransactionalPipelineProperties {
    private static FaultyBroker broker;
    private static MockTime time;
    private static Map<Faults.Kind, Long> before;
    private static long started;

    @BeforeContainer
    static void openBroker() throws IOException {
        time = new MockTime(System.currentTimeMillis());
        broker = new FaultyBroker(Files.createTempDirectory("weir-props-"), FaultyBroker.defaults(), time);
        before = Faults.snapshot();
        started = System.nanoTime();
    }

    @AfterContainer
    static void closeBroker() throws IOException {
        System.out.printf(
                "TransactionalPipelineProperties: %.1f s; faults injected: %s%n",
                (System.nanoTime() - started) / 1e9, Faults.since(before));
        broker.close();
        io.weir.broker.internals.log.LogFiles.deleteRecursively(broker.dataDir());
    }

    @Property(tries = 100, seed = "16001", edgeCases = EdgeCasesMode.NONE)
    void readCommittedShowsEveryCommitOnceAndNothingAborted(
            @ForAll("chains") ActionChain<TransactionalPipeline> chain) {
        run(chain);
    }

    /** The same with random seeds and ten times the tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @Tag("soak")
    void soakReadCommittedShowsEveryCommitOnceAndNothingAborted(
            @ForAll("chains") ActionChain<TransactionalPipeline> chain) {
        run(chain);
    }

    private static void run(ActionChain<TransactionalPipeline> chain) {
        TransactionalPipeline[] last = new TransactionalPipeline[1];
        try {
            chain.withInvariant("read_committed shows the commits, once, in order", p -> {
                        last[0] = p;
                        p.checkReadCommittedMatchesCommits();
                    })
                    .run();
        } finally {
            if (last[0] != null) {
                last[0].close();
            }
        }
    }

    @Provide
    Arbitrary<ActionChain<TransactionalPipeline>> chains() {
        return ActionChain.startWith(() -> new TransactionalPipeline(broker, time))
                .withAction(
                        3,
                        Action.<TransactionalPipeline>when(p -> !p.open())
                                .describeAs("begin")
                                .justMutate(TransactionalPipeline::begin))
                .withAction(5, new Send())
                .withAction(
                        3,
                        Action.<TransactionalPipeline>when(TransactionalPipeline::open)
                                .describeAs("commit")
                                .justMutate(TransactionalPipeline::commit))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(TransactionalPipeline::open)
                                .describeAs("abort")
                                .justMutate(TransactionalPipeline::abort))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(p -> true)
                                .describeAs("duplicate the next produce request")
                                .justMutate(p -> p.broker.duplicateNextProduce()))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(p -> true)
                                .describeAs("keep the next produce request to replay")
                                .justMutate(p -> p.broker.captureNextProduce()))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(p -> true)
                                .describeAs("replay the kept produce request")
                                .justMutate(p -> p.broker.replayCaptured()))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(p -> true)
                                .describeAs("lose the next produce answer")
                                .justMutate(p -> p.broker.loseNextAnswer("produce")))
                .withAction(1, new LoseTxnAnswer())
                .withAction(1, new RestartBroker())
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(TransactionalPipeline::open)
                                .describeAs("a zombie: a second producer with the same transactional.id")
                                .justMutate(TransactionalPipeline::zombie))
                .withAction(
                        1,
                        Action.<TransactionalPipeline>when(TransactionalPipeline::openWithRecords)
                                .describeAs("time the open transaction out")
                                .justMutate(TransactionalPipeline::timeOut))
                .withMaxTransformations(12);
    }

    private static final class Send implements Action.Independent<TransactionalPipeline> {
        @Override
        public boolean precondition(TransactionalPipeline p) {
            return p.open();
        }

        @Override
        public Arbitrary<Transformer<TransactionalPipeline>> transformer() {
            return Arbitraries.integers().between(1, 4).map(n -> Transformer.mutate("send " + n, p -> p.send(n)));
        }
    }

    private static final class LoseTxnAnswer implements Action.Independent<TransactionalPipeline> {
        @Override
        public Arbitrary<Transformer<TransactionalPipeline>> transformer() {
            return Arbitraries.of(List.copyOf(FaultyBroker.TXN_CALLS).stream()
                            .sorted()
                            .toList())
                    .map(call -> Transformer.mutate(
                            "lose the next " + call + " answer", p -> p.broker.loseNextAnswer(call)));
        }
    }

    private static final class RestartBroker implements Action.Independent<TransactionalPipeline> {
        @Override
        public Arbitrary<Transformer<TransactionalPipeline>> transformer() {
            return Arbitraries.of(true, false)
                    .map(crash -> Transformer.mutate(
                            crash ? "crash and restart the broker" : "restart the broker cleanly",
                            p -> p.broker.restart(crash)));
        }
    }
}
