package io.weir.streams.processor.internals;

import io.weir.clients.producer.ProducerRecord;
import io.weir.common.serialization.Serializer;
import io.weir.streams.errors.ProductionExceptionHandler;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.StreamPartitioner;
import io.weir.streams.processor.TopicNameExtractor;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;

/**
 * A sink node's processor: serializes each record (with the application's default serdes where the sink names
 * none), picks its topic and, with a {@link StreamPartitioner}, its partition, and hands it to the task's
 * {@link RecordCollector}.
 */
final class SinkProcessor implements Processor<Object, Object, Void, Void> {
    private final String name;
    private final TopicNameExtractor<Object, Object> topics;
    private final Serializer<?> keySerializer;
    private final Serializer<?> valueSerializer;
    private final StreamPartitioner<Object, Object> partitioner;
    private ProcessorContextImpl context;
    private Serializer<Object> keys;
    private Serializer<Object> values;

    @SuppressWarnings("unchecked")
    SinkProcessor(
            String name,
            TopicNameExtractor<?, ?> topics,
            Serializer<?> keySerializer,
            Serializer<?> valueSerializer,
            StreamPartitioner<?, ?> partitioner) {
        this.name = name;
        this.topics = (TopicNameExtractor<Object, Object>) topics;
        this.keySerializer = keySerializer;
        this.valueSerializer = valueSerializer;
        this.partitioner = (StreamPartitioner<Object, Object>) partitioner;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<Void, Void> context) {
        this.context = (ProcessorContextImpl) (ProcessorContext<?, ?>) context;
        this.keys = (Serializer<Object>)
                (keySerializer != null ? keySerializer : context.keySerde().serializer());
        this.values = (Serializer<Object>)
                (valueSerializer != null
                        ? valueSerializer
                        : context.valueSerde().serializer());
        if (values instanceof WrappingNullableSerde wrapping) {
            wrapping.setIfUnset(context.keySerde(), context.valueSerde());
        }
    }

    @Override
    public void process(Record<Object, Object> record) {
        String topic = topics.extract(record.key(), record.value(), context.recordContext());
        if (topic == null || topic.isEmpty()) {
            throw new StreamsException("Sink " + name + " chose no topic for the record with key " + record.key());
        }
        byte[] key;
        byte[] value;
        ProductionExceptionHandler.SerializationExceptionOrigin part =
                ProductionExceptionHandler.SerializationExceptionOrigin.KEY;
        try {
            key = keys.serialize(topic, record.key());
            part = ProductionExceptionHandler.SerializationExceptionOrigin.VALUE;
            value = values.serialize(topic, record.value());
        } catch (RuntimeException e) {
            ProducerRecord<Object, Object> result = new ProducerRecord<>(
                    topic, null, record.timestamp(), record.key(), record.value(), record.headers());
            if (context.task().continueAfterSerialization(context.currentNode(), context.origin(), result, e, part)) {
                return;
            }
            throw new StreamsException(
                    "Sink " + name + " could not serialize a record for topic " + topic + " (key type "
                            + typeOf(record.key()) + ", value type " + typeOf(record.value())
                            + "); check the serdes given to "
                            + "Produced or default.key.serde/default.value.serde: " + e.getMessage(),
                    e);
        }
        Integer partition = partitioner == null ? null : partition(topic, record);
        context.collector().send(topic, partition, key, value, record.headers(), record.timestamp(), name);
    }

    private Integer partition(String topic, Record<Object, Object> record) {
        int count = context.collector().partitionCount(topic);
        Integer partition = partitioner.partition(topic, record.key(), record.value(), count);
        if (partition != null && (partition < 0 || partition >= count)) {
            throw new StreamsException("The partitioner of sink " + name + " chose partition " + partition
                    + " of topic " + topic + ", which has " + count + " partitions");
        }
        return partition;
    }

    private static String typeOf(Object o) {
        return o == null ? "null" : o.getClass().getName();
    }
}
