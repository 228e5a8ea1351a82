package io.weir.common;

/**
 * One partition of a topic as metadata describes it. An embedded broker is a cluster of one, so
 * {@code leader} is always that broker's id; the field exists so the shape matches Kafka's.
 */
public record PartitionInfo(String topic, int partition, int leader) {}
