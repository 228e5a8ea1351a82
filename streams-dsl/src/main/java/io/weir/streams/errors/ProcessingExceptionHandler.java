package io.weir.streams.errors;

import io.weir.streams.processor.api.Record;
import java.util.Map;

/**
 * Decides what happens when a processor's own code throws ({@code processing.exception.handler}, Kafka 4's): fail
 * the task (the default, {@link LogAndFailProcessingExceptionHandler}) or drop the record at that processor and go
 * on ({@link LogAndContinueProcessingExceptionHandler}). Needs a public no-argument constructor.
 */
public interface ProcessingExceptionHandler {

    enum ProcessingHandlerResponse {
        CONTINUE,
        FAIL
    }

    ProcessingHandlerResponse handle(ErrorHandlerContext context, Record<?, ?> record, Exception exception);

    default void configure(Map<String, ?> configs) {}
}
