package io.weir.streams.processor.internals;

import io.weir.common.record.Header;
import io.weir.state.ChangelogHook;
import java.util.List;

/**
 * Where a task's sinks send serialized records: the test driver's in-memory topics, or the runtime's producer.
 * Unless the sink chose a partition, the collector does (Kafka's default: murmur2 of the key bytes). Called on the
 * task's thread.
 */
public interface RecordCollector {
    /** @param partition the sink's choice (its {@code StreamPartitioner}'s), or null for the default partitioner */
    void send(
            String topic,
            Integer partition,
            byte[] key,
            byte[] value,
            List<Header> headers,
            long timestamp,
            String sinkName);

    default void send(String topic, byte[] key, byte[] value, List<Header> headers, long timestamp, String sinkName) {
        send(topic, null, key, value, headers, timestamp, sinkName);
    }

    /** The partition count of {@code topic}, which a sink's {@code StreamPartitioner} is told. */
    int partitionCount(String topic);

    /**
     * Where the changes of a logged store go: partition {@code partition} (the task's) of its changelog topic; null
     * where nothing records them (the test driver).
     */
    default ChangelogHook changelog(String topic, int partition) {
        return null;
    }
}
