package io.weir.state.errors;

/** A serialized key or value larger than the store accepts; names the size and the limit. */
public final class RecordTooLargeException extends StateStoreException {
    /** Which half of the record was too large. */
    public enum Part {
        KEY,
        VALUE
    }

    private final String store;
    private final Part part;
    private final long size;
    private final long limit;

    public RecordTooLargeException(String store, Part part, long size, long limit) {
        super("store '" + store + "': serialized " + part.name().toLowerCase(java.util.Locale.ROOT) + " is " + size
                + " bytes, the limit is " + limit + " bytes"
                + (part == Part.KEY ? " (LMDB's compiled-in maximum key size)" : " (statestore.max.value.bytes)"));
        this.store = store;
        this.part = part;
        this.size = size;
        this.limit = limit;
    }

    public String store() {
        return store;
    }

    public Part part() {
        return part;
    }

    public long size() {
        return size;
    }

    public long limit() {
        return limit;
    }
}
