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
    record Write(Record record, WriteCallback done) {}

    final List<Record> durable = new ArrayList<>();
    final Deque<Write> inFlight = new ArrayDeque<>();

    @Override
    public void write(Record record, WriteCallback done) {
        inFlight.add(new Write(record, done));
    }

    Record completeNext() {
        Write w = inFlight.remove();
        durable.add(w.record());
        w.done().onComplete(null);
        return w.record();
    }

    void failNext() {
        inFlight.remove().done().onComplete(new IllegalStateException("injected transaction log failure"));
    }

    void landNextUnanswered() {
        durable.add(inFlight.remove().record());
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
