package io.weir.streams.processor.api;

/**
 * Makes {@link FixedKeyRecord}s for the runtime, as Kafka Streams' class of that name does: the constructor stays
 * closed to users, who may change a fixed-key record's value but never its key.
 */
public final class InternalFixedKeyRecordFactory {
    private InternalFixedKeyRecordFactory() {}

    public static <K, V> FixedKeyRecord<K, V> create(Record<K, V> record) {
        return new FixedKeyRecord<>(record.key(), record.value(), record.timestamp(), record.headers());
    }
}
