package io.weir.streams.errors;

import io.weir.clients.consumer.ConsumerRecord;
import java.util.Map;

/**
 * Decides what happens to an input record whose key or value cannot be deserialized ({@code
 * deserialization.exception.handler}): fail the task (the default, {@link LogAndFailExceptionHandler}) or skip the
 * record ({@link LogAndContinueExceptionHandler}). Needs a public no-argument constructor.
 */
public interface DeserializationExceptionHandler {

    enum DeserializationHandlerResponse {
        CONTINUE,
        FAIL
    }

    DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception);

    default void configure(Map<String, ?> configs) {}
}
