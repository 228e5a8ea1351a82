package io.weir.common.errors;

/**
 * Root of every error Weir reports to a caller. Subclasses name what was wrong (topic, partition, offset,
 * producer id, the bad value) in their message and, where useful, in typed accessors.
 *
 * <p>{@link RetriableException} marks errors a client may retry on its own; everything else is final for the
 * call that raised it.
 */
public class WeirException extends RuntimeException {
    public WeirException(String message) {
        super(message);
    }

    public WeirException(String message, Throwable cause) {
        super(message, cause);
    }
}
