package io.weir.clients.producer;

/**
 * Told when a sent record is acknowledged or has failed. Runs on the producer's sender thread, in send order
 * for records of the same partition; it should be quick, since the next batches wait for it.
 */
@FunctionalInterface
public interface Callback {

    /**
     * @param metadata where the record landed, or null if it failed
     * @param exception why it failed, or null on success
     */
    void onCompletion(RecordMetadata metadata, Exception exception);
}
