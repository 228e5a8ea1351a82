package io.weir.clients.producer.internals;

import io.weir.common.protocol.Errors;

/**
 * What ending an aborted transaction must also do before the producer may start the next one, from the least
 * to the most. Errors of one transaction only escalate it ({@link #and}); a new producer id and epoch reset it.
 */
enum AbortRecovery {
    /** Nothing: the producer id and epoch still hold. */
    NONE,
    /** InitProducerId with the current id and epoch (Kafka's KIP-360): sequences are broken, or the epoch moved on. */
    BUMP_EPOCH,
    /** InitProducerId with no producer id: the coordinator no longer maps our transactional id to our producer id. */
    NEW_PRODUCER_ID;

    /** The stronger of the two. */
    AbortRecovery and(AbortRecovery other) {
        return compareTo(other) >= 0 ? this : other;
    }

    /** After the coordinator answered a stale epoch (Kafka's KIP-588): the epoch must move on, or the id is gone. */
    static AbortRecovery forStaleEpoch(Errors error) {
        return error == Errors.INVALID_PRODUCER_ID_MAPPING ? NEW_PRODUCER_ID : BUMP_EPOCH;
    }
}
