package io.weir.streams.kstream.internals;

/**
 * What a table's processors pass each other: a key's new value and the value it replaced (either may be null: an
 * insert, a delete). The old value lets a downstream filter delete a key that stops passing.
 */
record Change<V>(V newValue, V oldValue) {}
