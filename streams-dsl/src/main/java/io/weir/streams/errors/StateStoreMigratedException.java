package io.weir.streams.errors;

/** The store's task moved to another thread or instance, or is restoring, while it was queried; ask again, after finding the store through the metadata calls if it moved. */
public class StateStoreMigratedException extends InvalidStateStoreException {
    public StateStoreMigratedException(String message) {
        super(message);
    }

    public StateStoreMigratedException(String message, Throwable cause) {
        super(message, cause);
    }
}
