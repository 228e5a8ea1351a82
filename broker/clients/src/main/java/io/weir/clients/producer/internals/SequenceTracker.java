package io.weir.clients.producer.internals;

import io.weir.common.TopicPartition;
import io.weir.common.errors.RetriableException;
import io.weir.common.protocol.Errors;
import io.weir.common.record.RecordBatch;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Map;

/**
 * Per-partition sequence numbers of an idempotent producer (the sequence half of Kafka's client
 * {@code TransactionManager}): which batches may leave, the stamp each gets, and what an error answer means.
 *
 * <p><b>Invariants, per partition.</b> Sequences belong to one producer identity (id and epoch) and start at 0
 * under it. {@code unacked} holds, in sequence order, every stamped batch not yet completed — in flight, or back
 * in the accumulator for a retry. A batch keeps its stamp across retries, so the broker recognises a resend of a
 * written batch and answers it with the original offset. A new batch is stamped only when every batch of an
 * older identity has completed, so the broker never sees sequence 0 of a new epoch overtake the old epoch's
 * batches. A retry leaves only when it is the oldest unacknowledged batch and nothing of its partition is in
 * flight, and while a retried batch is unacknowledged nothing else of its partition is sent: a retry can never
 * be reordered behind or duplicated by later batches.
 *
 * <p><b>Epoch bumps (idempotent producers, Kafka's KIP-360).</b> When the broker no longer knows the producer
 * (UNKNOWN_PRODUCER_ID) or a batch was lost (OUT_OF_ORDER_SEQUENCE_NUMBER for the oldest unacknowledged batch,
 * or any stamped batch that failed for good), the partition is marked for a rewrite and sends nothing more.
 * Once none of its batches is in flight, the owner bumps the epoch and {@link #rewrite} re-stamps the
 * partition's unacknowledged batches from sequence 0; other partitions move to the new epoch when their own
 * older batches have completed. "In flight" is the client's view: a request that timed out here is no longer in
 * flight though the broker may still be reading its bytes, so a batch still carried by an unanswered request is
 * re-stamped in a copy ({@link ProducerBatch#setProducerState}), which needs no wait for an answer that may never
 * come. A batch any of whose attempts ended without a definite answer (a timeout) may
 * have been written, and re-stamping it would write it twice; so before the rewrite each such batch goes
 * again under its old stamp until the partition's sequence check settles it: it acknowledges a duplicate with
 * its offset, or refuses the sequence. A refusal before that check (a storage error, say) settles nothing.
 * A transactional producer never rewrites: its failures make the transaction abortable, and the abort
 * re-initialises the producer id.
 *
 * <p><b>Threading.</b> Sender thread only; no locking.
 */
final class SequenceTracker {

    private static final class Partition {
        /** The identity this partition's sequences are numbered under. */
        ProducerIdAndEpoch identity = ProducerIdAndEpoch.NONE;

        int nextSequence;
        final ArrayDeque<ProducerBatch> unacked = new ArrayDeque<>();
        /** Waiting for an epoch bump: nothing of this partition leaves until {@link #rewrite}. */
        boolean rewritePending;

        boolean anyInFlight() {
            for (ProducerBatch b : unacked) {
                if (b.inFlight) {
                    return true;
                }
            }
            return false;
        }

        /**
         * Whether the oldest unacknowledged batch may be written: the rewrite must wait until it is resolved. Only
         * the oldest matters: a batch behind one the broker refused cannot have been written either, as the
         * broker accepts sequences only without a gap.
         */
        boolean oldestAmbiguous() {
            ProducerBatch oldest = unacked.peekFirst();
            return oldest != null && oldest.ambiguous;
        }

        /** A batch sent more than once and not yet acknowledged: it must be alone in flight. */
        boolean retryOutstanding() {
            for (ProducerBatch b : unacked) {
                if (b.attempts > 1) {
                    return true;
                }
            }
            return false;
        }
    }

    private final boolean transactional;
    private final Map<TopicPartition, Partition> partitions = new HashMap<>();
    private long nextOrder;
    private int partitionsAwaitingRewrite;

    SequenceTracker(boolean transactional) {
        this.transactional = transactional;
    }

    private Partition partition(TopicPartition tp) {
        return partitions.computeIfAbsent(tp, k -> new Partition());
    }

    /** Whether the head batch of its partition may be drained now, with {@code current} the producer's identity. */
    boolean mayDrain(ProducerBatch head, ProducerIdAndEpoch current) {
        if (!current.isValid()) {
            return false;
        }
        Partition p = partitions.get(head.partition);
        if (p == null) {
            return true;
        }
        if (p.rewritePending) {
            // Only resolving an ambiguous batch under its old stamp, oldest first, one at a time.
            return head.ambiguous && p.unacked.peekFirst() == head && !p.anyInFlight();
        }
        if (head.hasSequence()) {
            return p.unacked.peekFirst() == head && !p.anyInFlight();
        }
        if (!p.unacked.isEmpty() && !p.identity.equals(current)) {
            return false;
        }
        return !p.retryOutstanding();
    }

    /** Stamps a batch drained for the first time; a retry keeps its stamp. */
    void onDrained(ProducerBatch batch, ProducerIdAndEpoch current) {
        if (batch.hasSequence()) {
            return;
        }
        Partition p = partition(batch.partition);
        if (!p.identity.equals(current)) {
            p.identity = current; // mayDrain saw no unacked batch of the old identity
            p.nextSequence = 0;
        }
        batch.setProducerState(current, p.nextSequence, transactional, nextOrder++);
        p.nextSequence = RecordBatch.incrementSequence(p.nextSequence, batch.recordCount());
        p.unacked.addLast(batch);
    }

    /**
     * Whether an error answer allows a retry as far as sequences go (the sender still checks {@code retries} and
     * {@code delivery.timeout.ms}). May mark the partition for a rewrite.
     */
    boolean mayRetry(ProducerBatch batch, Errors error, RuntimeException exception) {
        Partition p = partitions.get(batch.partition);
        if (p == null || !batch.hasSequence()) {
            return isRetriable(error, exception);
        }
        // A timeout or an unexplained failure leaves open whether the broker wrote the batch. Only the partition's
        // sequence check settles it; a refusal before that check (a storage error, a corrupt batch, a leader
        // change) speaks of this attempt alone, and an earlier attempt may still be in the log.
        if (error == Errors.REQUEST_TIMED_OUT || error == Errors.UNKNOWN_SERVER_ERROR) {
            batch.ambiguous = true;
        } else if (isSequenceVerdict(error)) {
            batch.ambiguous = false;
        }
        switch (error) {
            case UNKNOWN_PRODUCER_ID:
                if (transactional) {
                    return false;
                }
                requestRewrite(p); // the broker forgot us: the same batches go again under a new epoch
                return true;
            case OUT_OF_ORDER_SEQUENCE_NUMBER:
                // Not the oldest unacknowledged batch: an earlier one failed and is retried first, or is being
                // rewritten.
                return p.rewritePending || p.unacked.peekFirst() != batch;
            default:
                return isRetriable(error, exception);
        }
    }

    /**
     * Whether the answer is the partition's sequence check, which acknowledges a resend of a batch it holds:
     * OUT_OF_ORDER_SEQUENCE_NUMBER means it does not hold it (a resend leaves only as the oldest unacknowledged
     * batch, so it is within the five batches the partition remembers); UNKNOWN_PRODUCER_ID means it kept nothing
     * to recognise it by, so resending under the old stamp can never settle the question.
     */
    private static boolean isSequenceVerdict(Errors error) {
        return error == Errors.OUT_OF_ORDER_SEQUENCE_NUMBER || error == Errors.UNKNOWN_PRODUCER_ID;
    }

    static boolean isRetriable(Errors error, RuntimeException exception) {
        return exception instanceof RetriableException || error == Errors.UNKNOWN_TOPIC_OR_PARTITION;
    }

    /** Whether the broker refused this batch as the next one it expected: records were lost. */
    boolean isNextExpected(ProducerBatch batch) {
        Partition p = partitions.get(batch.partition);
        return p != null && !p.rewritePending && p.unacked.peekFirst() == batch;
    }

    void onAcked(ProducerBatch batch) {
        Partition p = partitions.get(batch.partition);
        if (p != null) {
            p.unacked.remove(batch);
        }
    }

    /**
     * A stamped batch failed for good: its sequences are a gap the broker will never fill.
     *
     * @return true if the partition's sequences are now broken (a rewrite for an idempotent producer, an epoch
     *         bump on abort for a transactional one)
     */
    boolean onFailed(ProducerBatch batch) {
        Partition p = partitions.get(batch.partition);
        if (p == null || !batch.hasSequence() || !p.unacked.remove(batch)) {
            return false;
        }
        if (!transactional) {
            requestRewrite(p);
        }
        return true;
    }

    private void requestRewrite(Partition p) {
        if (!p.rewritePending) {
            p.rewritePending = true;
            partitionsAwaitingRewrite++;
        }
    }

    /** Whether a rewrite was asked for and every partition waiting for it has nothing in flight any more. */
    boolean rewriteReady() {
        if (partitionsAwaitingRewrite == 0) {
            return false;
        }
        for (Partition p : partitions.values()) {
            if (p.rewritePending && (p.anyInFlight() || p.oldestAmbiguous())) {
                return false;
            }
        }
        return true;
    }

    boolean rewriteRequested() {
        return partitionsAwaitingRewrite > 0;
    }

    /** After an epoch bump: re-stamps the unacknowledged batches of every partition waiting for it, from sequence 0. */
    void rewrite(ProducerIdAndEpoch bumped) {
        for (Partition p : partitions.values()) {
            if (!p.rewritePending) {
                continue;
            }
            int sequence = 0;
            for (ProducerBatch b : p.unacked) {
                b.setProducerState(bumped, sequence, transactional, b.sequenceOrder());
                sequence = RecordBatch.incrementSequence(sequence, b.recordCount());
            }
            p.identity = bumped;
            p.nextSequence = sequence;
            p.rewritePending = false;
        }
        partitionsAwaitingRewrite = 0;
    }
}
