package io.weir.state.errors;

/** Restore was asked for while the store holds writes that were never committed. */
public final class UncommittedWritesException extends StateStoreException {
    public UncommittedWritesException(String store, int pendingWrites) {
        super("store '" + store + "' has " + pendingWrites
                + " uncommitted write(s); restore starts from committed data only, commit or reopen first");
    }
}
