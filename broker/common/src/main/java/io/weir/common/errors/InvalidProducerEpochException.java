package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * A request carries an epoch older than the partition's or coordinator's for its producer id, typically
 * because the coordinator aborted a timed-out transaction and bumped the epoch. A transactional producer must
 * abort its transaction; it can then go on.
 *
 * <p>Where the broker raises it, the fields name the partition and producer involved; an exception a client
 * rebuilt from the error code carries them in its message only (null or -1 here).
 */
public class InvalidProducerEpochException extends WeirException {
    private final TopicPartition topicPartition;
    private final long producerId;
    private final short currentEpoch;
    private final short receivedEpoch;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public InvalidProducerEpochException(String message) {
        this(message, null);
    }

    public InvalidProducerEpochException(String message, Throwable cause) {
        this(message, cause, null, -1L, (short) -1, (short) -1);
    }

    /**
     * The partition holds {@code currentEpoch} for the producer; the batch or marker carried the older
     * {@code receivedEpoch}.
     *
     * @param refused what the partition refused, for the message: "the COMMIT marker of producer 7 (epoch 2, ...)"
     */
    public InvalidProducerEpochException(
            TopicPartition topicPartition, String refused, long producerId, short currentEpoch, short receivedEpoch) {
        this(
                topicPartition + " refused " + refused + ": producer " + producerId + " is fenced: current epoch "
                        + currentEpoch + ", received epoch " + receivedEpoch
                        + "; a newer instance or the coordinator bumped the epoch",
                null,
                topicPartition,
                producerId,
                currentEpoch,
                receivedEpoch);
    }

    private InvalidProducerEpochException(
            String message,
            Throwable cause,
            TopicPartition topicPartition,
            long producerId,
            short currentEpoch,
            short receivedEpoch) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.producerId = producerId;
        this.currentEpoch = currentEpoch;
        this.receivedEpoch = receivedEpoch;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long producerId() {
        return producerId;
    }

    public short currentEpoch() {
        return currentEpoch;
    }

    public short receivedEpoch() {
        return receivedEpoch;
    }
}
