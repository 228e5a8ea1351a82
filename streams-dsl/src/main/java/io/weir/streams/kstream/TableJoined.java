package io.weir.streams.kstream;

import io.weir.streams.processor.StreamPartitioner;

/**
 * Options of a foreign-key table join, as Kafka Streams' {@code TableJoined}: the partitioners the two tables' input
 * topics were written with, so that the join's internal topics are partitioned the same way, and the base name of
 * the join's processors, store and internal topics. A null partitioner means the default one (murmur2 of the
 * serialized key). A partitioner must depend on the key only: it is called with a null value. Immutable.
 *
 * @param <K>  the key type of this (left) table
 * @param <KO> the key type of the other (right) table, the foreign key
 */
public final class TableJoined<K, KO> {
    private final StreamPartitioner<K, Void> partitioner;
    private final StreamPartitioner<KO, Void> otherPartitioner;
    private final String name;

    private TableJoined(
            StreamPartitioner<K, Void> partitioner, StreamPartitioner<KO, Void> otherPartitioner, String name) {
        this.partitioner = partitioner;
        this.otherPartitioner = otherPartitioner;
        this.name = name;
    }

    /**
     * @param partitioner      how this table's input topic is partitioned (responses go back that way), or null
     * @param otherPartitioner how the other table's input topic is partitioned (subscriptions go that way), or null
     */
    public static <K, KO> TableJoined<K, KO> with(
            StreamPartitioner<K, Void> partitioner, StreamPartitioner<KO, Void> otherPartitioner) {
        return new TableJoined<>(partitioner, otherPartitioner, null);
    }

    /**
     * The join's base name: its internal topics are {@code <application.id>-<name>-subscription-registration-topic}
     * and {@code -subscription-response-topic}, its store {@code <name>-subscription-store}.
     *
     * @throws IllegalArgumentException if {@code name} is not a valid topic name part (see {@link Named#as})
     */
    public static <K, KO> TableJoined<K, KO> as(String name) {
        Named.validate(name);
        return new TableJoined<>(null, null, name);
    }

    public TableJoined<K, KO> withPartitioner(StreamPartitioner<K, Void> partitioner) {
        return new TableJoined<>(partitioner, otherPartitioner, name);
    }

    public TableJoined<K, KO> withOtherPartitioner(StreamPartitioner<KO, Void> otherPartitioner) {
        return new TableJoined<>(partitioner, otherPartitioner, name);
    }

    /** @throws IllegalArgumentException as {@link #as} */
    public TableJoined<K, KO> withName(String name) {
        Named.validate(name);
        return new TableJoined<>(partitioner, otherPartitioner, name);
    }

    public StreamPartitioner<K, Void> partitioner() {
        return partitioner;
    }

    public StreamPartitioner<KO, Void> otherPartitioner() {
        return otherPartitioner;
    }

    /** The base name, or null when none was given. */
    public String name() {
        return name;
    }
}
