package io.weir.streams.state;

/** Where a key-value store keeps its bytes: LMDB on disk or memory. Made by {@link Stores}. */
public interface KeyValueBytesStoreSupplier {

    String name();

    /** Whether the data outlives the process. */
    boolean persistent();
}
