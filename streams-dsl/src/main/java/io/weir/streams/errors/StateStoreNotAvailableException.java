package io.weir.streams.errors;

/** The application is shutting down or has failed, so its stores are closed; not retriable. */
public class StateStoreNotAvailableException extends InvalidStateStoreException {
    public StateStoreNotAvailableException(String message) {
        super(message);
    }

    public StateStoreNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
