package io.weir.common.errors;

/**
 * A request covering several partitions was refused as a whole because of another partition's error (Kafka's
 * OPERATION_NOT_ATTEMPTED, e.g. for the valid partitions of an AddPartitionsToTxn naming an unknown one); this
 * partition was fine and the call may be retried without the bad one.
 */
public class OperationNotAttemptedException extends WeirException {
    public OperationNotAttemptedException(String message) {
        super(message);
    }

    public OperationNotAttemptedException(String message, Throwable cause) {
        super(message, cause);
    }
}
