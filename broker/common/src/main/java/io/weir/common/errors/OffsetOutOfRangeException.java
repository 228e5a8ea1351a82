package io.weir.common.errors;

/** An offset outside a partition's log (before its start or past its end), with no reset policy to fall back on. */
public class OffsetOutOfRangeException extends WeirException {
    public OffsetOutOfRangeException(String message) {
        super(message);
    }

    public OffsetOutOfRangeException(String message, Throwable cause) {
        super(message, cause);
    }
}
