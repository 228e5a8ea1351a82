package io.weir.transactions.coordinator;

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
     * Appends {@code record} durably (per the broker's flush policy) and then calls {@code done} exactly once:
     * with null once it is durable, with the failure otherwise. {@code done} may run on any thread, but never
     * inside this call: the coordinator is confined to one thread and must not re-enter itself.
     */
    void write(Record record, WriteCallback done);
}
