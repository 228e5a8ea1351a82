package io.weir.common.errors;

/** Another consumer joined with the same {@code group.instance.id}; this one is fenced and must be closed. */
public class FencedInstanceIdException extends WeirException {
    public FencedInstanceIdException(String message) {
        super(message);
    }

    public FencedInstanceIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
