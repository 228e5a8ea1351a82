package io.weir.streams.processor.internals;

import io.weir.common.record.Header;
import java.util.List;

/**
 * Where a task's sinks send serialized records: the test driver's in-memory topics, or the runtime's producer.
 * The collector chooses the partition (Kafka's default: murmur2 of the key bytes). Called on the task's thread.
 */
public interface RecordCollector {
    void send(String topic, byte[] key, byte[] value, List<Header> headers, long timestamp, String sinkName);
}
