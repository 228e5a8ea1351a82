package io.weir.common.protocol;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import java.util.Map;

/**
 * Per partition, a timestamp to look up, or one of the specs {@link #EARLIEST}, {@link #LATEST},
 * {@link #MAX_TIMESTAMP}. A timestamp finds the first offset whose record timestamp is at or after it.
 */
public record ListOffsetsRequest(IsolationLevel isolationLevel, Map<TopicPartition, Long> timestamps) {
    public static final long LATEST = -1L;
    public static final long EARLIEST = -2L;
    public static final long MAX_TIMESTAMP = -3L;
}
