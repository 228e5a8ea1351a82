package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;

/**
 * Gives each input record its timestamp, the one windows and stream time use, as Kafka Streams'
 * {@code TimestampExtractor}: set for the application by {@code default.timestamp.extractor} and per source by
 * {@code Consumed.withTimestampExtractor}. A negative result drops the record (counted in the task's dropped
 * records). Called on the task's thread; an implementation keeps no state across tasks.
 */
@FunctionalInterface
public interface TimestampExtractor {

    /**
     * @param record        the deserialized record, with the timestamp it carries
     * @param partitionTime the largest timestamp extracted so far from this record's partition, or -1 if none
     * @return the record's timestamp in milliseconds; negative to drop it
     */
    long extract(ConsumerRecord<Object, Object> record, long partitionTime);
}
