package io.weir.state.errors;

import java.time.Duration;

/**
 * {@code close()} refused because iterators were still open after the close grace. The store stays open and
 * usable; close the iterators and call {@code close()} again.
 */
public final class OpenIteratorsException extends StateStoreException {
    private final String store;
    private final int openIterators;

    public OpenIteratorsException(String store, int openIterators, Duration grace) {
        super("store '" + store + "' cannot close: " + openIterators + " iterator(s) still open after a grace of "
                + grace.toMillis() + " ms; close them first");
        this.store = store;
        this.openIterators = openIterators;
    }

    public String store() {
        return store;
    }

    public int openIterators() {
        return openIterators;
    }
}
