package io.weir.streams.errors;

import io.weir.streams.processor.api.Record;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs an exception in a processor, naming the processor and the input record, and drops the record there. */
public class LogAndContinueProcessingExceptionHandler implements ProcessingExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndContinueProcessingExceptionHandler.class);

    @Override
    public ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception) {
        LOG.warn(
                "Processor {} of task {} failed on the record at offset {} of {}-{}; dropping it there",
                context.processorNodeId(),
                context.taskId(),
                context.offset(),
                context.topic(),
                context.partition(),
                exception);
        return ProcessingHandlerResponse.CONTINUE;
    }
}
