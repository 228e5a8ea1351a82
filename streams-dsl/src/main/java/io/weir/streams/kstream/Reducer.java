package io.weir.streams.kstream;

/** Combines a key's aggregate with a new value of the same type. */
@FunctionalInterface
public interface Reducer<V> {
    V apply(V aggregate, V value);
}
