package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.streams.errors.StreamsException;

/** The default extractor: the record's own timestamp; a negative one fails the task, naming the record. */
public class FailOnInvalidTimestamp extends ExtractRecordMetadataTimestamp {

    @Override
    public long onInvalidTimestamp(ConsumerRecord<Object, Object> record, long recordTimestamp, long partitionTime) {
        throw new StreamsException("Input record at offset " + record.offset() + " of " + record.topic() + "-"
                + record.partition() + " has an invalid (negative) timestamp " + recordTimestamp
                + ". Use a different TimestampExtractor (default.timestamp.extractor or "
                + "Consumed.withTimestampExtractor) to process it.");
    }
}
