package io.weir.transactions.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.utils.MockTime;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A {@link TransactionCoordinator} and the {@link CoordinatorModel} it must agree with, driven by the same
 * events: calls from producers (current instances, zombies with old epochs, made-up producer ids), log
 * writes and marker writes that complete, fail or lag, a manual clock, {@code poll()}, and crashes after
 * which a new coordinator loads whatever reached the log. Producers remember every grant they were given,
 * so older grants act as fenced instances.
 *
 * <p>Id {@code t3} starts near the top of the epoch range, so that epoch exhaustion and producer-id
 * rotation happen within a chain.
 */
final class CoordinatorWorld {
    static final List<String> IDS = List.of("t1", "t2", "t3");
    static final List<TopicPartition> PARTITIONS =
            List.of(CoordinatorFixture.P0, CoordinatorFixture.P1, CoordinatorFixture.OFFSETS);
    static final TransactionCoordinatorConfig CONFIG =
            new TransactionCoordinatorConfig(10_000, 60_000L, 1_000L, 5_000L, 200L);
    static final int[] TIMEOUTS = {1_000, 5_000, 10_000, 10_001};

    record Grant(long producerId, short producerEpoch) {}

    /** A call and what it was answered, to check each is answered once and as the model says. */
    record Call(CoordinatorModel.Waiter waiter, List<CoordinatorModel.Expected> answers) {}

    final MockTime clock = new MockTime(5_000_000L);
    final InMemoryTransactionLog log = new InMemoryTransactionLog();
    final RecordingMarkers markers = new RecordingMarkers();
    private long nextProducerId = 100;
    TransactionCoordinator coordinator;
    final CoordinatorModel model;
    /** Every grant each id's producers were given, oldest first. */
    final Map<String, List<Grant>> grants = new HashMap<>();
    /** Admitted transactional offset commits not yet ended, per id. */
    final Map<String, Integer> offsetWrites = new HashMap<>();

    private final List<Call> calls = new ArrayList<>();

    CoordinatorWorld() {
        short high = (short) (Short.MAX_VALUE - 3);
        log.durable.add(new TransactionLog.Record(
                "t3",
                new TransactionMetadata(
                        "t3",
                        7L,
                        -1L,
                        high,
                        (short) -1,
                        5_000,
                        TransactionState.COMPLETE_COMMIT,
                        Set.of(),
                        clock.milliseconds(),
                        clock.milliseconds())));
        grants.put("t3", new ArrayList<>(List.of(new Grant(7L, high))));
        coordinator = newCoordinator();
        coordinator.load(List.copyOf(log.durable));
        model = new CoordinatorModel(CONFIG, List.copyOf(log.durable), clock.milliseconds());
    }

    private TransactionCoordinator newCoordinator() {
        return new TransactionCoordinator(CONFIG, clock, log, markers, () -> nextProducerId++);
    }

    List<Grant> grantsOf(String id) {
        return grants.getOrDefault(id, List.of());
    }

    // ---- producer calls ----------------------------------------------------------------------------------------

    void init(String id, int timeoutMs, Grant bump) {
        long pid = bump == null ? -1L : bump.producerId();
        short epoch = bump == null ? -1 : bump.producerEpoch();
        Call call = call("InitProducerId(" + id + ", " + timeoutMs + " ms, " + bump + ")");
        long expectedPid = nextProducerId;
        model.init(id, timeoutMs, pid, epoch, clock.milliseconds(), () -> expectedPid, call.waiter());
        coordinator.initProducerId(id, timeoutMs, pid, epoch, a -> {
            call.answers().add(new CoordinatorModel.Expected(a.error(), a.producerId(), a.producerEpoch()));
            if (a.isSuccess()) {
                grants.computeIfAbsent(id, k -> new ArrayList<>()).add(new Grant(a.producerId(), a.producerEpoch()));
            }
        });
        check();
    }

    void add(String id, Grant as, Set<TopicPartition> partitions) {
        Call call = call("AddPartitions(" + id + ", " + as + ", " + partitions + ")");
        model.add(id, as.producerId(), as.producerEpoch(), partitions, clock.milliseconds(), call.waiter());
        coordinator.addPartitions(id, as.producerId(), as.producerEpoch(), partitions, answerTo(call));
        check();
    }

    void end(String id, Grant as, TransactionResult result) {
        Call call = call("EndTxn(" + id + ", " + as + ", " + result + ")");
        model.end(id, as.producerId(), as.producerEpoch(), result, clock.milliseconds(), call.waiter());
        coordinator.endTransaction(id, as.producerId(), as.producerEpoch(), result, answerTo(call));
        check();
    }

    void beginOffsetWrite(String id, Grant as) {
        TxnError expected = model.beginOffsetWrite(id, as.producerId(), as.producerEpoch(), CoordinatorFixture.OFFSETS);
        TxnAnswer actual =
                coordinator.beginOffsetWrite(id, as.producerId(), as.producerEpoch(), CoordinatorFixture.OFFSETS);
        assertEquals(expected, actual.error(), "offset write of " + id + " as " + as + ": " + actual.message());
        if (actual.isSuccess()) {
            offsetWrites.merge(id, 1, Integer::sum);
        }
    }

    void endOffsetWrite(String id) {
        model.endOffsetWrite(id);
        coordinator.endOffsetWrite(id);
        offsetWrites.merge(id, -1, Integer::sum);
    }

    private Call call(String description) {
        Call c = new Call(new CoordinatorModel.Waiter(description), new ArrayList<>());
        calls.add(c);
        return c;
    }

    private static java.util.function.Consumer<TxnAnswer> answerTo(Call call) {
        return a -> call.answers().add(CoordinatorModel.Expected.of(a.error()));
    }

    // ---- the log, the markers, the clock ----------------------------------------------------------------------

    void completeLogWrite(boolean durable) {
        InMemoryTransactionLog.Write next = log.inFlight.peek();
        String id = next.transactionalId();
        assertEquals(
                model.pendingValues(id),
                next.records().stream().map(TransactionLog.Record::value).toList(),
                "the records written for " + id + " are the model's transitions");
        if (durable) {
            checkFollowsTable(next.records());
            log.completeNext();
        } else {
            log.failNext();
        }
        model.written(id, durable, clock.milliseconds());
        check();
    }

    /**
     * Each record of a write follows the one before it (the id's last durable one, for the first) by the table, or
     * starts a new id in Empty.
     */
    private void checkFollowsTable(List<TransactionLog.Record> records) {
        TransactionMetadata previous = log.latest(records.get(0).transactionalId());
        for (TransactionLog.Record record : records) {
            TransactionState next = record.value() == null
                    ? TransactionState.DEAD
                    : record.value().state();
            if (previous == null) {
                assertEquals(TransactionState.EMPTY, next, "a new id starts in Empty: " + record);
            } else {
                assertTrue(
                        next.canFollow(previous.state()), previous.state().displayName() + " -> " + next.displayName());
            }
            previous = record.value();
        }
    }

    void completeMarkers(boolean durable) {
        RecordingMarkers.Write next = markers.inFlight.peek();
        String id = next.request().transactionalId();
        assertEquals(model.markersOf(id), next.request(), "markers of " + id);
        if (durable) {
            markers.completeNext();
        } else {
            markers.failNext();
        }
        model.markersWritten(id, durable, clock.milliseconds());
        check();
    }

    void advance(long ms) {
        clock.sleep(ms);
    }

    void poll() {
        model.poll(clock.milliseconds());
        coordinator.poll();
        check();
    }

    /**
     * A crash: each write in flight lands in the log or is lost, as {@code lands} says (missing entries: lost);
     * then a new coordinator loads the log. Offset commits in flight die with the old coordinator.
     */
    void crashAndReload(List<Boolean> lands) {
        int i = 0;
        while (!log.inFlight.isEmpty()) {
            if (i < lands.size() && lands.get(i)) {
                checkFollowsTable(log.inFlight.peek().records());
                log.landNextUnanswered();
            } else {
                log.inFlight.remove();
            }
            i++;
        }
        markers.inFlight.clear();
        offsetWrites.clear();
        coordinator.close();
        coordinator = newCoordinator();
        coordinator.load(List.copyOf(log.durable));
        model.reload(List.copyOf(log.durable), clock.milliseconds());
        check();
    }

    // ---- invariants ---------------------------------------------------------------------------------------------

    /** Each call answered at most once, and exactly when and as the model says. */
    private void check() {
        for (Call c : calls) {
            CoordinatorModel.Expected expected = c.waiter().expected;
            if (expected == null) {
                assertTrue(
                        c.answers().isEmpty(),
                        c.waiter().description + " answered before the model expects: " + c.answers());
            } else {
                assertEquals(List.of(expected), c.answers(), c.waiter().description);
            }
        }
    }

    boolean agreesWithModel() {
        for (String id : IDS) {
            assertEquals(Optional.ofNullable(model.current(id)), coordinator.describe(id), "state of " + id);
            assertEquals(model.pending(id), coordinator.hasPendingTransition(id), "pending transition of " + id);
        }
        return true;
    }

    /** What is in effect was durable first: the state of each id is its latest record (less what a reload drops). */
    boolean inEffectOnlyOnceDurable() {
        for (String id : IDS) {
            TransactionMetadata logged = log.latest(id);
            assertEquals(
                    Optional.ofNullable(logged).map(TransactionMetadata::withoutLastProducer),
                    coordinator.describe(id).map(TransactionMetadata::withoutLastProducer),
                    "in effect vs. logged for " + id);
        }
        return true;
    }
}
