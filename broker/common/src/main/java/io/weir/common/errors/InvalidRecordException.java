package io.weir.common.errors;

/**
 * A batch is well formed but not acceptable from whoever sent it: a client writing a transaction marker (only
 * the transaction coordinator may), an idempotent or transactional batch sharing its request with other
 * batches for the same partition, producer fields that contradict each other, or a record without a key for a
 * compacted topic. The message names the partition and the batch. Kafka's INVALID_RECORD; not retriable.
 */
public class InvalidRecordException extends WeirException {
    public InvalidRecordException(String message) {
        super(message);
    }

    public InvalidRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
