package io.weir.streams.state.internals;

import io.weir.streams.state.KeyValueBytesStoreSupplier;

/**
 * A key-value store's name and backend. The name becomes part of a directory and of the changelog topic's name,
 * so it is checked as a topic name is.
 */
public record StoreSupplier(String name, boolean persistent) implements KeyValueBytesStoreSupplier {
    public StoreSupplier {
        if (name == null || name.isEmpty() || name.length() > 200 || !name.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "Store name '" + name + "' is illegal: it must be 1 to 200 of a-z, A-Z, 0-9, "
                            + "'.', '_', '-' (it becomes part of the changelog topic's name)");
        }
    }
}
