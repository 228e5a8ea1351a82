package io.weir.common.errors;

/** A request carries an epoch older than the partition's or coordinator's for its producer id, typically because the coordinator aborted a timed-out transaction and bumped the epoch. A transactional producer must abort its transaction; it can then go on. */
public class InvalidProducerEpochException extends WeirException {
    public InvalidProducerEpochException(String message) {
        super(message);
    }

    public InvalidProducerEpochException(String message, Throwable cause) {
        super(message, cause);
    }
}
