package io.weir.transactions.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.utils.MockTime;
import io.weir.transactions.TransactionResult;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A {@link TransactionCoordinator} over an {@link InMemoryTransactionLog} and {@link RecordingMarkers} on a
 * {@link MockTime}, with producer ids from a counter. Calls return an {@link Answer} that records what the
 * coordinator answered; {@link #settle()} completes every write in flight, markers included.
 */
final class CoordinatorFixture {
    static final int MAX_TIMEOUT_MS = 60_000;
    static final long EXPIRATION_MS = 3_600_000L;
    static final long ABORT_INTERVAL_MS = 1_000L;
    static final long EXPIRY_INTERVAL_MS = 10_000L;
    static final long RETRY_BACKOFF_MS = 500L;
    static final TransactionCoordinatorConfig CONFIG = new TransactionCoordinatorConfig(
            MAX_TIMEOUT_MS, EXPIRATION_MS, ABORT_INTERVAL_MS, EXPIRY_INTERVAL_MS, RETRY_BACKOFF_MS);
    static final TopicPartition P0 = new TopicPartition("orders", 0);
    static final TopicPartition P1 = new TopicPartition("orders", 1);
    static final TopicPartition OFFSETS = new TopicPartition("__consumer_offsets", 7);

    final MockTime clock = new MockTime(1_000_000L);
    final InMemoryTransactionLog log = new InMemoryTransactionLog();
    final RecordingMarkers markers = new RecordingMarkers();
    private long nextProducerId = 1000;
    private final TransactionCoordinatorConfig config;
    TransactionCoordinator coordinator;

    CoordinatorFixture() {
        this(CONFIG);
    }

    CoordinatorFixture(TransactionCoordinatorConfig config) {
        this.config = config;
        coordinator = newCoordinator();
        coordinator.load(List.of());
    }

    TransactionCoordinator newCoordinator() {
        return new TransactionCoordinator(config, clock, log, markers, () -> nextProducerId++);
    }

    /** The producer id the next allocation will hand out. */
    long peekProducerId() {
        return nextProducerId;
    }

    /** A crash: a new coordinator loads what is durable; writes in flight stay unanswered. */
    void reload() {
        coordinator.close();
        log.inFlight.clear();
        markers.inFlight.clear();
        coordinator = newCoordinator();
        coordinator.load(List.copyOf(log.durable));
    }

    /** Records what the coordinator answered; a second answer is a test failure. */
    static final class Answer<T> implements Consumer<T> {
        final List<T> answers = new ArrayList<>();

        @Override
        public void accept(T t) {
            answers.add(t);
        }

        boolean answered() {
            return !answers.isEmpty();
        }

        T get() {
            assertEquals(1, answers.size(), "answered exactly once: " + answers);
            return answers.get(0);
        }
    }

    // ---- calls, answered when the coordinator decides ----------------------------------------------------

    Answer<InitProducerIdAnswer> init(String id, int timeoutMs, long pid, short epoch) {
        Answer<InitProducerIdAnswer> a = new Answer<>();
        coordinator.initProducerId(id, timeoutMs, pid, epoch, a);
        return a;
    }

    Answer<TxnAnswer> add(String id, long pid, short epoch, TopicPartition... partitions) {
        Answer<TxnAnswer> a = new Answer<>();
        coordinator.addPartitions(id, pid, epoch, Set.of(partitions), a);
        return a;
    }

    Answer<TxnAnswer> end(String id, long pid, short epoch, TransactionResult result) {
        Answer<TxnAnswer> a = new Answer<>();
        coordinator.endTransaction(id, pid, epoch, result, a);
        return a;
    }

    // ---- the same, settled ----------------------------------------------------------------------------------

    InitProducerIdAnswer initNow(String id) {
        return initNow(id, 10_000, -1L, (short) -1);
    }

    InitProducerIdAnswer initNow(String id, int timeoutMs, long pid, short epoch) {
        Answer<InitProducerIdAnswer> a = init(id, timeoutMs, pid, epoch);
        settle();
        return a.get();
    }

    TxnAnswer addNow(String id, InitProducerIdAnswer producer, TopicPartition... partitions) {
        Answer<TxnAnswer> a = add(id, producer.producerId(), producer.producerEpoch(), partitions);
        settle();
        return a.get();
    }

    TxnAnswer endNow(String id, InitProducerIdAnswer producer, TransactionResult result) {
        Answer<TxnAnswer> a = end(id, producer.producerId(), producer.producerEpoch(), result);
        settle();
        return a.get();
    }

    /** An InitProducerId the coordinator must answer without writing anything. */
    InitProducerIdAnswer initAtOnce(String id) {
        return init(id, 10_000, -1L, (short) -1).get();
    }

    /** Completes log writes and markers until nothing is in flight. */
    void settle() {
        while (!log.inFlight.isEmpty() || !markers.inFlight.isEmpty()) {
            if (!log.inFlight.isEmpty()) {
                log.completeNext();
            } else {
                markers.completeNext();
            }
        }
    }

    TransactionMetadata state(String id) {
        return coordinator.describe(id).orElseThrow(() -> new AssertionError("coordinator does not know " + id));
    }

    static void assertError(TxnError expected, TxnAnswer answer) {
        assertEquals(expected, answer.error(), answer.message());
        if (expected != TxnError.NONE) {
            assertTrue(answer.message() != null && !answer.message().isEmpty(), "an error explains itself");
        }
    }

    static void assertError(TxnError expected, InitProducerIdAnswer answer) {
        assertEquals(expected, answer.error(), answer.message());
        if (expected != TxnError.NONE) {
            assertEquals(-1L, answer.producerId());
            assertEquals(-1, answer.producerEpoch());
        }
    }
}
