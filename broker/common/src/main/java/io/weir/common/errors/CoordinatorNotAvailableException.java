package io.weir.common.errors;

/** The group is being deleted or unloaded; try again. */
public class CoordinatorNotAvailableException extends RetriableException {
    public CoordinatorNotAvailableException(String message) {
        super(message);
    }

    public CoordinatorNotAvailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
