package io.weir.streams.state;

/** Where a session store keeps its bytes and for how long, as Kafka Streams' {@code SessionBytesStoreSupplier}. */
public interface SessionBytesStoreSupplier {

    String name();

    /** How long sessions are kept, back from the newest session end seen, in milliseconds. */
    long retentionPeriod();

    /** The segment size: {@code max(retention / 2, 60 s)}. */
    long segmentIntervalMs();

    boolean persistent();
}
