package io.weir.streams.errors;

import io.weir.streams.processor.api.Record;

/** Fails the task on an exception in a processor. The default; the task's error names where it happened. */
public class LogAndFailProcessingExceptionHandler implements ProcessingExceptionHandler {
    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        return ProcessingHandlerResponse.FAIL;
    }
}
