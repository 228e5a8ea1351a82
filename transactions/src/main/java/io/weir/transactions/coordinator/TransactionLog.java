package io.weir.transactions.coordinator;

import java.util.List;

/**
 * Where the coordinator makes its transitions durable before they take effect: Kafka's
 * {@code __transaction_state}, a compacted topic keyed by transactional id, so the latest record per id is
 * the id's state. The broker implements it; tests use an in-memory log that can fail or hold writes.
 *
 * <p>The coordinator has at most one write in flight per transactional id, so the records of one id reach
 * the log in the order the coordinator issued them.
 */
public interface TransactionLog {

    /**
     * One record of the log.
     *
     * @param value the id's state, or null for a tombstone: the id expired and is forgotten
     */
    record Record(String transactionalId, TransactionMetadata value) {}

    /**
     * Appends {@code records}, all of one transactional id and in this order, durably (per the broker's flush
     * policy) and atomically: they become durable together or not at all (the broker writes them as one batch).
     * Then calls {@code done} exactly once: with null once they are durable, with the failure otherwise. {@code
     * done} may run on any thread, but never inside this call: the coordinator is confined to one thread and must
     * not re-enter itself. Usually one record; two when a completion and the producer's next transaction are
     * written together ({@link TransactionCoordinator}).
     *
     * @throws IllegalArgumentException if {@code records} is empty or names more than one transactional id
     */
    void write(List<Record> records, WriteCallback done);
}
