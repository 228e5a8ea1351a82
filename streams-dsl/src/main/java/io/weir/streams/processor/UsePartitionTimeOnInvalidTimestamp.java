package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.streams.errors.StreamsException;

/**
 * The record's own timestamp; a record with a negative one gets its partition's time (the largest timestamp seen in
 * the partition so far). Fails the task if the partition has no time yet.
 */
public class UsePartitionTimeOnInvalidTimestamp extends ExtractRecordMetadataTimestamp {

    @Override
    public long onInvalidTimestamp(ConsumerRecord<Object, Object> record, long recordTimestamp, long partitionTime) {
        if (partitionTime < 0) {
            throw new StreamsException("Could not infer a timestamp for the record at offset " + record.offset()
                    + " of " + record.topic() + "-" + record.partition() + ": its timestamp " + recordTimestamp
                    + " is invalid and its partition has no time yet");
        }
        return partitionTime;
    }
}
