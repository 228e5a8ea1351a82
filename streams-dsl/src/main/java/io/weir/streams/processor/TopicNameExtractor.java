package io.weir.streams.processor;

/** Chooses the topic each record of a sink goes to, from the record and where it came from. */
@FunctionalInterface
public interface TopicNameExtractor<K, V> {
    String extract(K key, V value, RecordContext recordContext);
}
