package io.weir.properties;

import io.weir.broker.internals.log.LogFiles;
import io.weir.streams.processor.internals.CrashPoints;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Exactly-once of {@code WeirStreams} applications under faults (issue 16, property b). Each try runs the application
 * of {@link StreamsInstance} (a stateless chain, an aggregation, a stream-table join) over a chain of named actions:
 * input, a table update, and faults — the instance halted at each commit point as a kill would (before the broker
 * commit, between the broker commit and the store commit, after the store commit) and restarted on its files, a clean
 * restart, a zombie (frozen before its broker commit while a new instance on a copy of its files takes over, then
 * resumed), a broker restart clean or crashed under the running application, and the produce-level faults of
 * {@link FaultyBroker} (duplicated and lost produce answers, lost coordinator answers) on the application's requests.
 *
 * <p>Invariants after every step: a query of the aggregation store sees the aggregates of a prefix of each
 * partition's input (never a partial commit, never an aborted or repeated write); read_committed outputs are, per
 * key, prefixes of the reference's, in order, each once. In the steps: a zombie never gets its commit through; a
 * restart on the same {@code state.dir} replays no more than the changelogs got since the last store commit
 * ({@code WeirStreams.restoredRecords()}, the records its restores replayed). At the end: the store and every output
 * equal the in-memory reference.
 *
 * <p>One broker serves every try; each try has its own topics, application id and state dirs. Seeded; jqwik prints
 * the seed and the shrunk chain. {@code mvn verify -Dsoak} runs 1,000 tries with random seeds.
 */
class StreamsProperties {
    private static FaultyBroker broker;
    private static Path root;
    private static Map<Faults.Kind, Long> before;
    private static long started;

    @BeforeContainer
    static void openBroker() throws IOException {
        root = Files.createTempDirectory("weir-streams-props-");
        broker = new FaultyBroker(root.resolve("broker"), FaultyBroker.defaults(), io.weir.common.utils.Time.SYSTEM);
        before = Faults.snapshot();
        started = System.nanoTime();
    }

    @AfterContainer
    static void closeBroker() throws IOException {
        System.out.printf(
                "StreamsProperties: %.1f s; faults injected: %s%n",
                (System.nanoTime() - started) / 1e9, Faults.since(before));
        broker.close();
        LogFiles.deleteRecursively(root);
    }

    @Property(tries = 100, seed = "16002", edgeCases = EdgeCasesMode.NONE)
    void outputsAndStoresEqualTheReferenceRunUnderFaults(@ForAll("chains") ActionChain<StreamsRun> chain) {
        run(chain);
    }

    /** The same with random seeds and ten times the tries: {@code mvn verify -Dsoak}. */
    @Property(tries = 1000, edgeCases = EdgeCasesMode.NONE)
    @Tag("soak")
    void soakOutputsAndStoresEqualTheReferenceRunUnderFaults(@ForAll("chains") ActionChain<StreamsRun> chain) {
        run(chain);
    }

    private static void run(ActionChain<StreamsRun> chain) {
        StreamsRun[] last = new StreamsRun[1];
        try {
            chain.withInvariant("queries see whole commits", r -> {
                        last[0] = r;
                        r.checkQueriesSeeWholeCommits();
                    })
                    .withInvariant(
                            "read_committed outputs are prefixes of the reference", StreamsRun::checkOutputsSoFar)
                    .run();
            last[0].checkFinal();
        } finally {
            if (last[0] != null) {
                last[0].close();
            }
        }
    }

    @Provide
    Arbitrary<ActionChain<StreamsRun>> chains() {
        return ActionChain.startWith(() -> new StreamsRun(broker, root))
                .withAction(6, new Input())
                .withAction(2, new UpdateTable())
                .withAction(3, new Crash())
                .withAction(
                        1,
                        Action.<StreamsRun>when(r -> true)
                                .describeAs("restart the application cleanly")
                                .justMutate(StreamsRun::cleanRestart))
                .withAction(
                        1,
                        Action.<StreamsRun>when(r -> true)
                                .describeAs(
                                        "a zombie: freeze the instance, take over on a copy of its files, resume it")
                                .justMutate(StreamsRun::zombie))
                .withAction(1, new RestartBroker())
                .withAction(1, new ProduceFault())
                .withMaxTransformations(6);
    }

    private static final class Input implements Action.Independent<StreamsRun> {
        @Override
        public Arbitrary<Transformer<StreamsRun>> transformer() {
            return Arbitraries.integers()
                    .between(0, 4)
                    .list()
                    .ofMinSize(1)
                    .ofMaxSize(6)
                    .map(keys -> Transformer.mutate("input keys " + keys, r -> r.input(keys)));
        }
    }

    private static final class UpdateTable implements Action.Independent<StreamsRun> {
        @Override
        public Arbitrary<Transformer<StreamsRun>> transformer() {
            return Arbitraries.integers()
                    .between(0, 4)
                    .map(k -> Transformer.mutate("update table row " + k, r -> r.updateTable(k)));
        }
    }

    private static final class Crash implements Action.Independent<StreamsRun> {
        @Override
        public Arbitrary<Transformer<StreamsRun>> transformer() {
            return Arbitraries.of(
                            CrashPoints.BEFORE_BROKER_COMMIT,
                            CrashPoints.AFTER_BROKER_COMMIT,
                            CrashPoints.AFTER_STORE_COMMIT)
                    .map(point -> Transformer.mutate("crash the application at " + point, r -> r.crash(point)));
        }
    }

    private static final class RestartBroker implements Action.Independent<StreamsRun> {
        @Override
        public Arbitrary<Transformer<StreamsRun>> transformer() {
            Arbitrary<Transformer<StreamsRun>> idle = Arbitraries.of(true, false)
                    .map(crash -> Transformer.mutate(
                            crash ? "crash and restart the broker" : "restart the broker cleanly",
                            r -> r.broker.restart(crash)));
            Arbitrary<Transformer<StreamsRun>> duringCommit = Arbitraries.of(true, false)
                    .map(crash -> Transformer.mutate(
                            (crash ? "crash and restart" : "restart") + " the broker during a commit, with input",
                            r -> r.restartBrokerDuringCommit(crash, List.of(1, 2))));
            return Arbitraries.oneOf(idle, duringCommit);
        }
    }

    private static final class ProduceFault implements Action.Independent<StreamsRun> {
        @Override
        public Arbitrary<Transformer<StreamsRun>> transformer() {
            List<String> calls = List.of("produce", "endTxn", "txnOffsetCommit", "addPartitionsToTxn");
            return Arbitraries.oneOf(
                    Arbitraries.just(Transformer.mutate(
                            "duplicate the next produce request", r -> r.broker.duplicateNextProduce())),
                    Arbitraries.of(calls)
                            .map(call -> Transformer.mutate(
                                    "lose the next " + call + " answer", r -> r.broker.loseNextAnswer(call))));
        }
    }
}
