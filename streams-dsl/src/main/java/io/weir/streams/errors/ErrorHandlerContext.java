package io.weir.streams.errors;

import io.weir.common.record.Header;
import io.weir.streams.processor.TaskId;
import java.util.List;

/**
 * Where a failure happened, for the exception handlers: the input record's topic, partition and offset (null, -1
 * and -1 in a punctuation), its headers and timestamp, the processor that failed and its task.
 */
public interface ErrorHandlerContext {
    String topic();

    int partition();

    long offset();

    List<Header> headers();

    String processorNodeId();

    TaskId taskId();

    long timestamp();
}
