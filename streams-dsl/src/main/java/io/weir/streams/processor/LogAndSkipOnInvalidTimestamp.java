package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The record's own timestamp; a record with a negative one is logged and dropped. */
public class LogAndSkipOnInvalidTimestamp extends ExtractRecordMetadataTimestamp {
    private static final Logger LOG = LoggerFactory.getLogger(LogAndSkipOnInvalidTimestamp.class);

    @Override
    public long onInvalidTimestamp(ConsumerRecord<Object, Object> record, long recordTimestamp, long partitionTime) {
        LOG.warn(
                "Input record at offset {} of {}-{} will be dropped: its timestamp {} is invalid (negative)",
                record.offset(),
                record.topic(),
                record.partition(),
                recordTimestamp);
        return recordTimestamp;
    }
}
