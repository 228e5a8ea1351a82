package io.weir.streams.processor;

import io.weir.common.record.Header;
import java.util.List;

/** Where the record being processed came from: the input record that led to it. */
public interface RecordContext {
    /** The source topic, or null in a punctuation. */
    String topic();

    /** The source partition, or -1 in a punctuation. */
    int partition();

    /** The source offset, or -1 in a punctuation. */
    long offset();

    long timestamp();

    List<Header> headers();
}
