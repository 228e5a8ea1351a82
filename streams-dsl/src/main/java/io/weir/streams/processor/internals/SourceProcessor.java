package io.weir.streams.processor.internals;

import io.weir.common.serialization.Deserializer;
import io.weir.streams.processor.TimestampExtractor;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;

/**
 * A source node's processor: the task deserializes each input record with its deserializers (the application's
 * defaults where the source names none), gives it its timestamp with its extractor (or the application's), and hands
 * it on to the source's children unchanged.
 */
final class SourceProcessor implements Processor<Object, Object, Object, Object> {
    private final Deserializer<?> keyDeserializer;
    private final Deserializer<?> valueDeserializer;
    private final TimestampExtractor timestampExtractor;
    private ProcessorContext<Object, Object> context;
    private Deserializer<?> keys;
    private Deserializer<?> values;

    SourceProcessor(
            Deserializer<?> keyDeserializer, Deserializer<?> valueDeserializer, TimestampExtractor timestampExtractor) {
        this.keyDeserializer = keyDeserializer;
        this.valueDeserializer = valueDeserializer;
        this.timestampExtractor = timestampExtractor;
    }

    /** The source's own timestamp extractor, or null for the application's default. */
    TimestampExtractor timestampExtractor() {
        return timestampExtractor;
    }

    @Override
    public void init(ProcessorContext<Object, Object> context) {
        this.context = context;
        this.keys =
                keyDeserializer != null ? keyDeserializer : context.keySerde().deserializer();
        this.values = valueDeserializer != null
                ? valueDeserializer
                : context.valueSerde().deserializer();
        if (values instanceof WrappingNullableSerde wrapping) {
            wrapping.setIfUnset(context.keySerde(), context.valueSerde());
        }
    }

    Object deserializeKey(String topic, byte[] data) {
        return keys.deserialize(topic, data);
    }

    Object deserializeValue(String topic, byte[] data) {
        return values.deserialize(topic, data);
    }

    @Override
    public void process(Record<Object, Object> record) {
        context.forward(record);
    }
}
