package io.weir.streams.state;

/** Where a window store keeps its bytes and for how long, as Kafka Streams' {@code WindowBytesStoreSupplier}. */
public interface WindowBytesStoreSupplier {

    String name();

    /** How long windows are kept, back from the newest window start seen, in milliseconds. */
    long retentionPeriod();

    long windowSize();

    /** Whether every put is kept, even for the same key and start (a stream-stream join's buffer). */
    boolean retainDuplicates();

    /** The segment size: {@code max(retention / 2, 60 s)}. */
    long segmentIntervalMs();

    boolean persistent();
}
