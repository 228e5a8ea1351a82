package io.weir.common.errors;

/** A batch's sequence number does not follow the last one the partition has from its producer: a batch in between was lost. The producer's later batches to the partition fail too; an idempotent producer recovers by bumping its epoch, a transactional one must abort. */
public class OutOfOrderSequenceException extends WeirException {
    public OutOfOrderSequenceException(String message) {
        super(message);
    }

    public OutOfOrderSequenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
