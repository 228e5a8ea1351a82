package io.weir.streams.errors;

/** No store of that name exists in the topology; not retriable. */
public class UnknownStateStoreException extends InvalidStateStoreException {
    public UnknownStateStoreException(String message) {
        super(message);
    }

    public UnknownStateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
