package io.weir.streams.errors;

import io.weir.clients.producer.ProducerRecord;
import java.util.Map;

/**
 * Decides what happens when a result cannot be written ({@code production.exception.handler}): a serializer that
 * throws, or a send the broker refuses. Fail the task (the default, {@link DefaultProductionExceptionHandler}) or
 * drop the result. Needs a public no-argument constructor.
 */
public interface ProductionExceptionHandler {

    enum ProductionExceptionHandlerResponse {
        CONTINUE,
        FAIL
    }

    /** Whether the key or the value failed to serialize. */
    enum SerializationExceptionOrigin {
        KEY,
        VALUE
    }

    /** A send the broker refused. */
    ProductionExceptionHandlerResponse handle(
            ErrorHandlerContext context, ProducerRecord<byte[], byte[]> record, Exception exception);

    /** A result the sink's serializer could not write; {@code record} holds the unserialized key and value. */
    default ProductionExceptionHandlerResponse handleSerializationException(
            ErrorHandlerContext context,
            ProducerRecord<?, ?> record,
            Exception exception,
            SerializationExceptionOrigin origin) {
        return ProductionExceptionHandlerResponse.FAIL;
    }

    default void configure(Map<String, ?> configs) {}
}
