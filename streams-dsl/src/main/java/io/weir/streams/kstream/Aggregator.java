package io.weir.streams.kstream;

/** Folds one record's value into a key's aggregate. */
@FunctionalInterface
public interface Aggregator<K, V, VA> {
    VA apply(K key, V value, VA aggregate);
}
