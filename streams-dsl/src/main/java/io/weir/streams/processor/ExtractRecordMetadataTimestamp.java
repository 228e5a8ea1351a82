package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;

/**
 * The timestamp the record carries (its producer's create time or the broker's log-append time), with a policy for
 * one that is invalid (negative), as Kafka Streams' {@code ExtractRecordMetadataTimestamp}.
 */
public abstract class ExtractRecordMetadataTimestamp implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        long timestamp = record.timestamp();
        return timestamp < 0 ? onInvalidTimestamp(record, timestamp, partitionTime) : timestamp;
    }

    /** What a record with a negative timestamp gets: a timestamp, a negative value to drop it, or an exception. */
    public abstract long onInvalidTimestamp(
            ConsumerRecord<Object, Object> record, long recordTimestamp, long partitionTime);
}
