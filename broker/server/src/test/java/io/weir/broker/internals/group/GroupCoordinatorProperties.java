package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.logging.Level;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.state.Action;
import net.jqwik.api.state.ActionChain;
import net.jqwik.api.state.ActionChainArbitrary;
import net.jqwik.api.state.Transformer;

/**
 * The group coordinator against {@link GroupModel} over chains of client calls and clock advances: new
 * dynamic and static members join, known members rejoin (some with a changed subscription), the leader and
 * followers sync, members heartbeat, leave and commit (with their generation or a stale one), static members
 * restart, an admin commits without a generation, and the manual clock jumps by a random amount before a
 * {@code poll()} — or moves in heartbeat-sized steps while chosen members heartbeat, as their heartbeat
 * threads would, which keeps them alive until a join or sync deadline rather than a session ends a phase.
 * Removed and fenced clients keep calling with what they last knew, as real ones do. A third property holds
 * every store append until an action makes it durable or fails it, so the group moves on while a generation
 * or a commit is being written.
 *
 * <p>Named invariants, checked after every step (see {@link GroupWorld}): the coordinator agrees with the
 * model (state, generation, members in join order, leader, static ids, who waits in join or sync, session
 * deadlines); the state was reached along GroupState's table; the generation never goes back; in Stable and
 * CompletingRebalance the leader is a member; member ids are unique and every static instance id maps to
 * exactly one member holding it; every join, sync and commit call is answered at most once, and exactly when
 * and how the model says; offsets fetched are the model's last durable commit per partition; the store holds
 * exactly the appends the model says are being written. Each commit is also checked at once to be refused
 * exactly when its member is not current. When a chain ends, pending appends complete and the clock passes
 * every deadline: then no call may still be waiting and the group must be Empty.
 *
 * <p>Seeds are fixed, so the suite is deterministic; jqwik prints the seed and the chain of a failure.
 */
class GroupCoordinatorProperties {
    private static final List<TopicPartition> PARTITIONS =
            List.of(new TopicPartition("t", 0), new TopicPartition("t", 1), new TopicPartition("u", 0));

    /** Held strongly: java.util.logging forgets a logger nobody references, and with it the level set here. */
    private static final Logger COORDINATOR_LOG = Logger.getLogger(GroupCoordinator.class.getName());

    private static Level savedLevel;

    /** Failed appends of an emptied group's generation are logged as warnings; here they are injected on purpose. */
    @BeforeContainer
    static void quietInjectedStoreFailures() {
        savedLevel = COORDINATOR_LOG.getLevel();
        COORDINATOR_LOG.setLevel(Level.SEVERE);
    }

    @AfterContainer
    static void restoreLogLevel() {
        COORDINATOR_LOG.setLevel(savedLevel);
    }

    @Property(tries = 300, seed = "20250611")
    void coordinatorFollowsTheModelWithoutInitialDelay(@ForAll("withoutDelay") ActionChain<GroupWorld> chain) {
        runAndSettle(chain);
    }

    @Property(tries = 200, seed = "20250612")
    void coordinatorFollowsTheModelWithInitialDelay(@ForAll("withDelay") ActionChain<GroupWorld> chain) {
        runAndSettle(chain);
    }

    @Property(tries = 300, seed = "20250613")
    void coordinatorFollowsTheModelWhileStoreWritesLagOrFail(@ForAll("withHeldStore") ActionChain<GroupWorld> chain) {
        runAndSettle(chain);
    }

    private static void runAndSettle(ActionChain<GroupWorld> chain) {
        GroupWorld world = chain.withInvariant("coordinator agrees with the model", GroupWorld::agreesWithModel)
                .withInvariant("state legal and reached along the transition table", GroupWorld::transitionsFollowTable)
                .withInvariant("generation never decreases", GroupWorld::generationNeverDecreases)
                .withInvariant("leader is a member in Stable and CompletingRebalance", GroupWorld::leaderIsMember)
                .withInvariant("member ids unique, static ids one-to-one", GroupWorld::identitiesConsistent)
                .withInvariant(
                        "each call answered at most once, as the model says", GroupWorld::callsAnsweredAsModelSays)
                .withInvariant("fetched offsets are the last durable commits", GroupWorld::offsetsMatchModel)
                .withInvariant(
                        "the store holds what the model says is being written", GroupWorld::pendingAppendsMatchModel)
                .run();
        world.settle();
    }

    @Provide
    Arbitrary<ActionChain<GroupWorld>> withoutDelay() {
        return chain(ActionChain.startWith(() -> new GroupWorld(0, false)));
    }

    @Provide
    Arbitrary<ActionChain<GroupWorld>> withDelay() {
        return chain(ActionChain.startWith(() -> new GroupWorld(3_000, false)));
    }

    @Provide
    Arbitrary<ActionChain<GroupWorld>> withHeldStore() {
        return chain(ActionChain.<GroupWorld>startWith(() -> new GroupWorld(0, true))
                .withAction(
                        4,
                        when(
                                w -> !w.model.appends.isEmpty(),
                                w -> Arbitraries.just(Transformer.mutate(
                                        "store makes the oldest append durable", GroupWorld::storeCompletesNext))))
                .withAction(
                        1,
                        when(
                                w -> !w.model.appends.isEmpty(),
                                w -> Arbitraries.just(Transformer.mutate(
                                        "store fails the oldest append", GroupWorld::storeFailsNext)))));
    }

    private static Arbitrary<ActionChain<GroupWorld>> chain(ActionChainArbitrary<GroupWorld> chain) {
        return chain.withAction(3, newMember())
                .withAction(4, rejoin())
                .withAction(4, leaderSync())
                .withAction(3, followerSync())
                .withAction(4, heartbeat())
                .withAction(1, leave())
                .withAction(2, staticRestart())
                .withAction(2, advanceClock())
                .withAction(3, advanceWhileHeartbeating())
                .withAction(3, commit())
                .withAction(1, simpleCommit())
                .withMaxTransformations(40);
    }

    // ---- actions -------------------------------------------------------------------------------------------

    /** An action whose choices depend on the world, e.g. which known client calls. */
    private static Action.Dependent<GroupWorld> when(
            Predicate<GroupWorld> precondition, Function<GroupWorld, Arbitrary<Transformer<GroupWorld>>> transformer) {
        return new Action.Dependent<>() {
            @Override
            public boolean precondition(GroupWorld w) {
                return precondition.test(w);
            }

            @Override
            public Arbitrary<Transformer<GroupWorld>> transformer(GroupWorld w) {
                return transformer.apply(w);
            }
        };
    }

    /** Mostly a current member; sometimes any client ever seen, including removed and fenced ones. */
    private static Arbitrary<String> anyClient(GroupWorld w) {
        Arbitrary<String> everSeen = Arbitraries.of(List.copyOf(w.model.clients.keySet()));
        if (w.model.members.isEmpty()) {
            return everSeen;
        }
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(List.copyOf(w.model.members.keySet()))), Tuple.of(1, everSeen));
    }

    private static boolean hasClients(GroupWorld w) {
        return !w.model.clients.isEmpty();
    }

    private static Action<GroupWorld> newMember() {
        return when(w -> true, w -> Arbitraries.of(false, true)
                .map(isStatic -> Transformer.mutate(
                        isStatic ? "new static member joins" : "new dynamic member joins", x -> x.joinNew(isStatic))));
    }

    private static Action<GroupWorld> rejoin() {
        return when(GroupCoordinatorProperties::hasClients, w -> Combinators.combine(
                        anyClient(w), Arbitraries.of(false, false, true))
                .as((id, change) -> Transformer.mutate(
                        "rejoin " + id + (change ? " with a new subscription" : ""), x -> x.rejoin(id, change))));
    }

    private static Action<GroupWorld> leaderSync() {
        return when(w -> w.model.leader != null, w -> {
            String leader = w.model.leader;
            return Arbitraries.just(
                    Transformer.mutate("leader " + leader + " syncs an assignment", x -> x.leaderSync(leader)));
        });
    }

    private static Action<GroupWorld> followerSync() {
        return when(GroupCoordinatorProperties::hasClients, w -> anyClient(w)
                .map(id -> Transformer.mutate("sync without assignment by " + id, x -> x.sync(id, Map.of()))));
    }

    private static Action<GroupWorld> heartbeat() {
        return when(GroupCoordinatorProperties::hasClients, w -> anyClient(w)
                .map(id -> Transformer.mutate("heartbeat " + id, x -> x.heartbeat(id))));
    }

    private static Action<GroupWorld> leave() {
        return when(GroupCoordinatorProperties::hasClients, w -> anyClient(w)
                .map(id -> Transformer.mutate("leave " + id, x -> x.leave(id))));
    }

    private static Action<GroupWorld> staticRestart() {
        return when(w -> !w.model.statics.isEmpty(), w -> Combinators.combine(
                        Arbitraries.of(List.copyOf(w.model.statics.keySet())),
                        Arbitraries.of(false, false, false, true))
                .as((instance, change) -> Transformer.mutate(
                        "static " + instance + " restarts" + (change ? " with a new subscription" : ""),
                        x -> x.restartStatic(instance, change))));
    }

    private static Action<GroupWorld> advanceClock() {
        Arbitrary<Long> ms = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.longs().between(0, 3_000)),
                Tuple.of(3, Arbitraries.longs().between(3_000, 12_000)),
                Tuple.of(1, Arbitraries.longs().between(12_000, 40_000)));
        return when(
                w -> true, w -> ms.map(d -> Transformer.mutate("advance " + d + " ms and poll", x -> x.advance(d))));
    }

    /**
     * Time passes in steps of {@link #GroupWorld.HEARTBEAT_INTERVAL_MS}, polling after each, while some members heartbeat
     * after every step as a client's heartbeat thread does: what keeps members alive through a long join or
     * sync phase, so that its deadline, not a session, ends it.
     */
    private static Action<GroupWorld> advanceWhileHeartbeating() {
        return when(w -> !w.model.members.isEmpty(), w -> Combinators.combine(
                        Arbitraries.longs().between(1_000, 40_000),
                        Arbitraries.subsetOf(List.copyOf(w.model.members.keySet())))
                .as((d, beating) -> {
                    List<String> ids = beating.stream().sorted().toList();
                    return Transformer.mutate(
                            "advance " + d + " ms, polling every " + GroupWorld.HEARTBEAT_INTERVAL_MS + " ms while "
                                    + ids + " heartbeat",
                            x -> x.advanceWhileHeartbeating(d, ids));
                }));
    }

    private static Action<GroupWorld> commit() {
        return when(GroupCoordinatorProperties::hasClients, w -> Combinators.combine(
                        anyClient(w),
                        Arbitraries.of(false, false, true),
                        Arbitraries.of(PARTITIONS),
                        Arbitraries.longs().between(0, 1_000))
                .as((id, stale, tp, offset) -> Transformer.mutate(
                        "commit " + tp + "@" + offset + " by " + id + (stale ? " with a stale generation" : ""),
                        x -> x.commit(id, stale, tp, offset))));
    }

    private static Action<GroupWorld> simpleCommit() {
        return when(w -> true, w -> Combinators.combine(
                        Arbitraries.of(PARTITIONS), Arbitraries.longs().between(0, 1_000))
                .as((tp, offset) -> Transformer.mutate(
                        "commit " + tp + "@" + offset + " without generation", x -> x.simpleCommit(tp, offset))));
    }
}
