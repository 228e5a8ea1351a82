package io.weir.state.errors;

/**
 * Root of every error the state-store module reports. Subclasses name the store, directory or value that was
 * wrong, in the message and in typed accessors. A {@code StateStoreException} thrown by a store operation leaves
 * the stored data as it was before the call.
 */
public class StateStoreException extends RuntimeException {
    public StateStoreException(String message) {
        super(message);
    }

    public StateStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
