package io.weir.streams.errors;

/** A store cannot be queried now: it is not (yet) hosted here, moving, restoring, or the application is not running. Retriable unless a subclass says otherwise. */
public class InvalidStateStoreException extends StreamsException {
    public InvalidStateStoreException(String message) {
        super(message);
    }

    public InvalidStateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
