package io.weir.clients.admin;

import java.util.OptionalInt;
import java.util.OptionalLong;

/**
 * One producer a partition holds state for, as {@link Admin#describeProducers} reports it (Kafka's
 * {@code ProducerState}).
 *
 * @param lastSequence                   the last sequence of the producer's newest batch, -1 if none
 * @param lastTimestamp                  the largest record timestamp of its newest batch
 * @param coordinatorEpoch               the epoch of the coordinator that wrote its last marker, if any
 * @param currentTransactionStartOffset  the first offset of its open transaction on the partition, if one is open
 */
public record ProducerState(
        long producerId,
        int producerEpoch,
        int lastSequence,
        long lastTimestamp,
        OptionalInt coordinatorEpoch,
        OptionalLong currentTransactionStartOffset) {}
