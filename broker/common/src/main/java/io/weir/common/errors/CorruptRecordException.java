package io.weir.common.errors;

/**
 * Bytes that should hold a record batch do not: a CRC mismatch, an impossible length, a wrong magic byte or
 * a record that overruns its batch. The message names where the bad bytes were found.
 */
public class CorruptRecordException extends WeirException {
    public CorruptRecordException(String message) {
        super(message);
    }

    public CorruptRecordException(String message, Throwable cause) {
        super(message, cause);
    }
}
