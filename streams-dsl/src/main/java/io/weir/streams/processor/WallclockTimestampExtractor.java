package io.weir.streams.processor;

import io.weir.clients.consumer.ConsumerRecord;

/** Processing time: the wall clock when the record is processed, whatever the record carries. */
public class WallclockTimestampExtractor implements TimestampExtractor {

    @Override
    public long extract(ConsumerRecord<Object, Object> record, long partitionTime) {
        return System.currentTimeMillis();
    }
}
