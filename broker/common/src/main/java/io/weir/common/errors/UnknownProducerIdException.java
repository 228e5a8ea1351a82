package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * The partition has no state for the producer id, which expired after {@code producer.id.expiration.ms} of
 * inactivity or was removed with its data. The producer recovers by bumping its epoch and restarting its
 * sequences.
 *
 * <p>Where the broker raises it, the fields name the partition and producer involved; an exception a client
 * rebuilt from the error code carries them in its message only (null or -1 here).
 */
public class UnknownProducerIdException extends WeirException {
    private final TopicPartition topicPartition;
    private final long producerId;
    private final int receivedSequence;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public UnknownProducerIdException(String message) {
        this(message, null);
    }

    public UnknownProducerIdException(String message, Throwable cause) {
        this(message, cause, null, -1L, -1);
    }

    /**
     * The partition has no state for the producer, whose batch starts at {@code receivedSequence} rather than 0.
     *
     * @param refused what the partition refused, for the message: "batch of producer 7 at epoch 2 with sequences 9..9"
     */
    public UnknownProducerIdException(
            TopicPartition topicPartition, String refused, long producerId, int receivedSequence) {
        this(
                topicPartition + " refused " + refused + ": no state for producer " + producerId
                        + " and its batch starts at " + "sequence " + receivedSequence
                        + ", not 0 (its state expired or was never here)",
                null,
                topicPartition,
                producerId,
                receivedSequence);
    }

    private UnknownProducerIdException(
            String message, Throwable cause, TopicPartition topicPartition, long producerId, int receivedSequence) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.producerId = producerId;
        this.receivedSequence = receivedSequence;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long producerId() {
        return producerId;
    }

    public int receivedSequence() {
        return receivedSequence;
    }
}
