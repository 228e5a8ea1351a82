package io.weir.common.errors;

import io.weir.common.TopicPartition;

/**
 * A batch's sequence number does not follow the last one the partition has from its producer: a batch in
 * between was lost. The producer's later batches to the partition fail too; an idempotent producer recovers by
 * bumping its epoch, a transactional one must abort.
 *
 * <p>Where the broker raises it, the fields name the partition and producer involved; an exception a client
 * rebuilt from the error code carries them in its message only (null or -1 here).
 */
public class OutOfOrderSequenceException extends WeirException {
    private final TopicPartition topicPartition;
    private final long producerId;
    private final short epoch;
    private final int expectedSequence;
    private final int receivedSequence;

    /**
     * As a client rebuilds it from an error code and message: the context is in the message only and the
     * accessors answer null or -1.
     */
    public OutOfOrderSequenceException(String message) {
        this(message, null);
    }

    public OutOfOrderSequenceException(String message, Throwable cause) {
        this(message, cause, null, -1L, (short) -1, -1, -1);
    }

    /**
     * The partition expected {@code expectedSequence} from this producer and epoch, and a batch began at
     * {@code receivedSequence}.
     *
     * @param refused what the partition refused, for the message: "batch of producer 7 at epoch 2 with sequences 5..5"
     */
    public OutOfOrderSequenceException(
            TopicPartition topicPartition,
            String refused,
            long producerId,
            short epoch,
            int expectedSequence,
            int receivedSequence) {
        this(
                topicPartition + " refused " + refused + ": out-of-order sequence from producer " + producerId
                        + " at epoch " + epoch + ": expected " + expectedSequence + ", received " + receivedSequence,
                null,
                topicPartition,
                producerId,
                epoch,
                expectedSequence,
                receivedSequence);
    }

    private OutOfOrderSequenceException(
            String message,
            Throwable cause,
            TopicPartition topicPartition,
            long producerId,
            short epoch,
            int expectedSequence,
            int receivedSequence) {
        super(message, cause);
        this.topicPartition = topicPartition;
        this.producerId = producerId;
        this.epoch = epoch;
        this.expectedSequence = expectedSequence;
        this.receivedSequence = receivedSequence;
    }

    public TopicPartition topicPartition() {
        return topicPartition;
    }

    public long producerId() {
        return producerId;
    }

    public short epoch() {
        return epoch;
    }

    public int expectedSequence() {
        return expectedSequence;
    }

    public int receivedSequence() {
        return receivedSequence;
    }
}
