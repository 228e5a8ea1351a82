package io.weir.streams.processor.api;

/** Where the input record being processed was read: absent in a punctuation. */
public interface RecordMetadata {
    String topic();

    int partition();

    long offset();
}
