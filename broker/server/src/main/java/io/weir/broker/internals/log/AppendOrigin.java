package io.weir.broker.internals.log;

/**
 * Who wrote a batch, which decides what the log accepts from it (Kafka's AppendOrigin). A client may not
 * write transaction markers; the broker's coordinators write markers and their own internal records.
 */
public enum AppendOrigin {
    /** A producer's request: control batches are refused, producer ids and sequences are checked. */
    CLIENT,
    /** The broker's group or transaction coordinator: may write control batches (transaction markers). */
    COORDINATOR
}
