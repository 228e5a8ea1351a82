package io.weir.streams.processor.internals;

import io.weir.common.record.Header;
import io.weir.streams.errors.ErrorHandlerContext;
import io.weir.streams.processor.TaskId;
import java.util.List;

/** Where a failure happened, as the exception handlers are told. */
record HandlerContext(
        String topic,
        int partition,
        long offset,
        List<Header> headers,
        String processorNodeId,
        TaskId taskId,
        long timestamp)
        implements ErrorHandlerContext {}
