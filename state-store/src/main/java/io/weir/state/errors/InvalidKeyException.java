package io.weir.state.errors;

/** A key (or range bound / prefix) that no store accepts: {@code null}, or serialized to zero bytes. */
public final class InvalidKeyException extends StateStoreException {
    private final String store;

    public InvalidKeyException(String store, String problem) {
        super("store '" + store + "': " + problem);
        this.store = store;
    }

    public String store() {
        return store;
    }
}
