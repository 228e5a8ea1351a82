package io.weir.clients.producer.internals;

import io.weir.common.record.RecordBatch;

/**
 * The identity an idempotent producer stamps on its batches. Sequences are numbered per partition within one
 * identity: a new epoch (or a new id) starts every partition again at sequence 0. Immutable.
 */
record ProducerIdAndEpoch(long producerId, short epoch) {
    static final ProducerIdAndEpoch NONE =
            new ProducerIdAndEpoch(RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH);

    boolean isValid() {
        return producerId != RecordBatch.NO_PRODUCER_ID;
    }

    /** Whether the epoch can still be bumped locally; at the top an idempotent producer needs a new id. */
    boolean canBumpEpoch() {
        return epoch < Short.MAX_VALUE;
    }

    ProducerIdAndEpoch withBumpedEpoch() {
        if (!canBumpEpoch()) {
            throw new IllegalStateException("epoch of producer id " + producerId + " is exhausted at " + epoch);
        }
        return new ProducerIdAndEpoch(producerId, (short) (epoch + 1));
    }

    @Override
    public String toString() {
        return "producer id " + producerId + " epoch " + epoch;
    }
}
