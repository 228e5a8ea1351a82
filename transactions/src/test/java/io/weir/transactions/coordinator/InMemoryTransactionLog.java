package io.weir.transactions.coordinator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * A {@link TransactionLog} for tests: every write waits in {@link #inFlight} until the test completes it
 * ({@link #completeNext}), fails it ({@link #failNext}) or, simulating a crash, lets it land without an
 * answer ({@link #landNextUnanswered}). {@link #durable} holds what a reload would read, in log order.
 * Single-threaded, like the tests.
 */
final class InMemoryTransactionLog implements TransactionLog {
    /** One write: its records (one id, landing together) and whom to tell. */
    record Write(List<Record> records, WriteCallback done) {
        String transactionalId() {
            return records.get(0).transactionalId();
        }
    }

    final List<Record> durable = new ArrayList<>();
    final Deque<Write> inFlight = new ArrayDeque<>();

    @Override
    public void write(List<Record> records, WriteCallback done) {
        inFlight.add(new Write(List.copyOf(records), done));
    }

    /** Makes the next write durable and answers it; returns its last record. */
    Record completeNext() {
        Write w = inFlight.remove();
        durable.addAll(w.records());
        w.done().onComplete(null);
        return w.records().get(w.records().size() - 1);
    }

    void failNext() {
        inFlight.remove().done().onComplete(new IllegalStateException("injected transaction log failure"));
    }

    void landNextUnanswered() {
        durable.addAll(inFlight.remove().records());
    }

    /** The latest durable value of {@code id}, null if none or a tombstone. */
    TransactionMetadata latest(String id) {
        TransactionMetadata out = null;
        for (Record r : durable) {
            if (r.transactionalId().equals(id)) {
                out = r.value();
            }
        }
        return out;
    }
}
