package io.weir.streams.errors;

import io.weir.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Logs the record that cannot be deserialized and fails the task: nothing is skipped silently. The default. */
public class LogAndFailExceptionHandler implements DeserializationExceptionHandler {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndFailExceptionHandler.class);

    @Override
    public DeserializationHandlerResponse handle(
            ErrorHandlerContext context, ConsumerRecord<byte[], byte[]> record, Exception exception) {
        LOG.error(
                "Could not deserialize the record at offset {} of {}-{} (task {}); failing",
                context.offset(),
                context.topic(),
                context.partition(),
                context.taskId(),
                exception);
        return DeserializationHandlerResponse.FAIL;
    }
}
