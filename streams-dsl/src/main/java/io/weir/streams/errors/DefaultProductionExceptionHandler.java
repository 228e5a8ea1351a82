package io.weir.streams.errors;

import io.weir.clients.producer.ProducerRecord;

/** Fails the task on any failure to write a result. The default. */
public class DefaultProductionExceptionHandler implements ProductionExceptionHandler {
    @Override
    public ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception) {
        return ProductionExceptionHandlerResponse.FAIL;
    }
}
