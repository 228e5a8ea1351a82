package io.weir.streams.kstream;

/** Combines a record's value with the value it joined. */
@FunctionalInterface
public interface ValueJoiner<V1, V2, VR> {
    VR apply(V1 value1, V2 value2);
}
