package io.weir.clients.admin;

/**
 * What {@link Admin#deleteRecords} left of a partition, as Kafka's {@code DeletedRecords}.
 *
 * @param lowWatermark the partition's log start offset after the deletion: the first offset a consumer can read
 */
public record DeletedRecords(long lowWatermark) {}
