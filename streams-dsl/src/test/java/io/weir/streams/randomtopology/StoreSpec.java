package io.weir.streams.randomtopology;

/**
 * How a table is materialized: its (queryable) store name, whether on LMDB or in memory, and whether cached. None of
 * these may change a store's final contents; they change only how many intermediate updates are emitted.
 */
record StoreSpec(String name, boolean inMemory, boolean cached) {
    StoreSpec named(Expr.Namer namer) {
        return new StoreSpec(namer.store(), inMemory, cached);
    }

    @Override
    public String toString() {
        return (inMemory ? "inMemory(\"" : "as(\"") + name + "\")" + (cached ? "" : ".withCachingDisabled()");
    }
}
