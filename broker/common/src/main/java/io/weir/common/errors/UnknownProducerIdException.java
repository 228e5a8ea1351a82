package io.weir.common.errors;

/** The partition has no state for the producer id, which expired after {@code producer.id.expiration.ms} of inactivity or was removed with its data. The producer recovers by bumping its epoch and restarting its sequences. */
public class UnknownProducerIdException extends WeirException {
    public UnknownProducerIdException(String message) {
        super(message);
    }

    public UnknownProducerIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
