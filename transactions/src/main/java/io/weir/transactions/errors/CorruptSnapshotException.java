package io.weir.transactions.errors;

/**
 * A producer-state snapshot cannot be trusted: truncated, failing its CRC, of an unknown version, or
 * internally inconsistent. The message says which. The broker answers by discarding the snapshot and
 * rebuilding producer state from the log.
 */
public class CorruptSnapshotException extends TransactionsException {
    public CorruptSnapshotException(String message) {
        super(message);
    }

    public CorruptSnapshotException(String message, Throwable cause) {
        super(message, cause);
    }
}
