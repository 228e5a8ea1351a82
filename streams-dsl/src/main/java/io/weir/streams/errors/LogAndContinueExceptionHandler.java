package io.weir.streams.errors;

import io.weir.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the record that cannot be deserialized, naming where it is, and skips it. */
public class LogAndContinueExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndContinueExceptionHandler.class);

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.warn(
                "Skipping the record at offset {} of {}-{} (task {}): it cannot be deserialized",
                context.offset(),
                context.topic(),
                context.partition(),
                context.taskId(),
                exception);
        return DeserializationHandlerResponse.CONTINUE;
    }
}
