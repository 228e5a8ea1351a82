package io.weir.common.errors;

/** The metadata string of a committed offset is longer than {@code offset.metadata.max.bytes}. */
public class OffsetMetadataTooLargeException extends WeirException {
    public OffsetMetadataTooLargeException(String message) {
        super(message);
    }

    public OffsetMetadataTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
