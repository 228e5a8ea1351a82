package io.weir.transactions.coordinator;

import io.weir.common.TopicPartition;
import io.weir.transactions.TransactionResult;
import java.util.Set;

/**
 * The coordinator's verdicts, as pure functions of an id's current metadata and one call: each returns a
 * {@link Decision} and changes nothing (taking a fresh producer id from the {@link ProducerIdSource} aside,
 * which is harmless to waste). The rules are Kafka's TransactionCoordinator's, with two deliberate
 * differences, both marked where they apply: a KIP-360 InitProducerId must carry the current epoch to fence
 * an Ongoing transaction, and an abort for a timed-out transaction keeps the old epoch as the last epoch so
 * that the producer is told INVALID_PRODUCER_EPOCH (abort and re-initialise) rather than PRODUCER_FENCED.
 *
 * <p><b>Epochs.</b> An epoch is exhausted at {@code Short.MAX_VALUE - 1}: InitProducerId then rotates to a new
 * producer id at epoch 0 instead of bumping. A producer therefore never holds an epoch above
 * {@code Short.MAX_VALUE - 1}, and the one bump a fence or a timeout makes on an open transaction always fits.
 *
 * <p><b>Busy.</b> An id is busy while a transition of it is being written or a transactional offset commit
 * of its transaction is being appended; every call that could change it then answers
 * CONCURRENT_TRANSACTIONS, and the client retries.
 */
final class TransitionRules {
    private TransitionRules() {}

    static boolean isEpochExhausted(short epoch) {
        return epoch >= Short.MAX_VALUE - 1;
    }

    // ---- InitProducerId -----------------------------------------------------------------------------------

    /**
     * @param current         the id's metadata, null if the coordinator does not know it
     * @param busy            why the id is busy, null if it is not
     * @param expectedPid     -1 for a new instance, else the producer id of a KIP-360 epoch bump
     * @param expectedEpoch   -1 for a new instance, else the current epoch of that producer
     */
    static Decision initProducerId(
            TransactionMetadata current,
            String busy,
            String transactionalId,
            int timeoutMs,
            long expectedPid,
            short expectedEpoch,
            TransactionCoordinatorConfig config,
            long now,
            ProducerIdSource ids) {
        if (transactionalId == null || transactionalId.isEmpty()) {
            return reply(
                    TxnError.INVALID_REQUEST, "InitProducerId for a transaction needs a non-empty transactional id");
        }
        if (timeoutMs <= 0 || timeoutMs > config.maxTimeoutMs()) {
            return reply(
                    TxnError.INVALID_TRANSACTION_TIMEOUT,
                    "transaction.timeout.ms=" + timeoutMs + " of transactional id "
                            + transactionalId + " is not within 1.." + config.maxTimeoutMs()
                            + " (the broker's transaction.max.timeout.ms):"
                            + " lower the producer's transaction.timeout.ms or raise the broker's limit");
        }
        boolean bump = expectedPid != -1 || expectedEpoch != -1;
        if (bump && (expectedPid < 0 || expectedEpoch < 0)) {
            return reply(
                    TxnError.INVALID_REQUEST,
                    "InitProducerId for transactional id " + transactionalId + " carries producer id " + expectedPid
                            + " and epoch " + expectedEpoch
                            + ": pass both (to bump the epoch) or neither (a new instance)");
        }
        if (busy != null) {
            return concurrent(transactionalId, busy);
        }
        if (current == null) {
            // A KIP-360 bump for an id the coordinator lost (expired) gets a new producer id too, as in Kafka.
            return new Decision.Transition(
                    null,
                    TransactionMetadata.empty(
                            transactionalId, ids.nextProducerId(), -1L, (short) 0, (short) -1, timeoutMs, now),
                    null);
        }
        if (bump && expectedPid != current.producerId()) {
            if (expectedPid == current.lastProducerId()
                    && expectedEpoch == current.lastProducerEpoch()
                    && current.state().isIdle()) {
                // A retry of the InitProducerId that rotated the producer id: the same grant again.
                return new Decision.Transition(
                        current,
                        TransactionMetadata.empty(
                                transactionalId,
                                current.producerId(),
                                current.lastProducerId(),
                                current.producerEpoch(),
                                current.lastProducerEpoch(),
                                timeoutMs,
                                now),
                        null);
            }
            return reply(
                    TxnError.PRODUCER_FENCED,
                    "Transactional id " + transactionalId + " now has producer id "
                            + current.producerId() + " at epoch " + current.producerEpoch() + "; producer id "
                            + expectedPid + " epoch "
                            + expectedEpoch
                            + " belongs to an instance that was fenced by a newer one: close this producer");
        }
        return switch (current.state()) {
            case PREPARE_COMMIT, PREPARE_ABORT -> concurrent(
                    transactionalId,
                    "its transaction is completing (" + current.state().displayName() + ", markers being written)");
            case ONGOING -> fenceOngoing(current, bump, expectedEpoch, now);
            case EMPTY, COMPLETE_COMMIT, COMPLETE_ABORT -> grantEpoch(
                    current, bump, expectedEpoch, timeoutMs, now, ids);
            case DEAD, PREPARE_EPOCH_FENCE -> throw new IllegalStateException("Transactional id " + transactionalId
                    + " is held in " + current.state().displayName() + ", which the coordinator never holds");
        };
    }

    /**
     * A new instance (or the same one, bumping) while a transaction is open: abort it at a bumped epoch, which
     * fences the old instance at every partition; the caller is told CONCURRENT_TRANSACTIONS and retries
     * once the abort is complete.
     */
    private static Decision fenceOngoing(TransactionMetadata current, boolean bump, short expectedEpoch, long now) {
        if (bump && expectedEpoch != current.producerEpoch()) {
            // Kafka fences on any KIP-360 call here; a stale retry would then abort the live producer's
            // transaction and fence it. Only the holder of the current epoch may abort it this way.
            return reply(
                    TxnError.PRODUCER_FENCED,
                    "Producer " + current.producerId() + " of transactional id "
                            + current.transactionalId() + " sent epoch " + expectedEpoch
                            + " but the open transaction is at epoch "
                            + current.producerEpoch() + ": this instance was fenced; close it");
        }
        // A bumping instance keeps its epoch as the last one, so its retry is granted the fence's epoch.
        short last = bump ? current.producerEpoch() : (short) -1;
        return new Decision.Transition(
                current, current.fencedAbort(nextEpoch(current), last, now), TransactionState.PREPARE_EPOCH_FENCE);
    }

    private static Decision grantEpoch(
            TransactionMetadata current,
            boolean bump,
            short expectedEpoch,
            int timeoutMs,
            long now,
            ProducerIdSource ids) {
        short epoch = current.producerEpoch();
        boolean retryOfGrant = false;
        if (bump) {
            if (expectedEpoch == current.lastProducerEpoch() && expectedEpoch != epoch) {
                // The instance the coordinator last bumped for (a lost answer, or a timed-out transaction):
                // the current epoch is its own, unused by anyone else.
                retryOfGrant = true;
            } else if (expectedEpoch != epoch) {
                return reply(
                        TxnError.PRODUCER_FENCED,
                        "Producer " + current.producerId() + " of transactional id "
                                + current.transactionalId() + " asked to bump epoch " + expectedEpoch
                                + " but the coordinator is at epoch "
                                + epoch + ": a newer instance took over; close this producer");
            }
        }
        short last = bump ? expectedEpoch : (short) -1;
        String id = current.transactionalId();
        TransactionMetadata next;
        if (isEpochExhausted(epoch)) {
            next = TransactionMetadata.empty(
                    id, ids.nextProducerId(), current.producerId(), (short) 0, last, timeoutMs, now);
        } else if (retryOfGrant) {
            next = TransactionMetadata.empty(
                    id, current.producerId(), current.lastProducerId(), epoch, last, timeoutMs, now);
        } else {
            next = TransactionMetadata.empty(
                    id, current.producerId(), current.lastProducerId(), (short) (epoch + 1), last, timeoutMs, now);
        }
        return new Decision.Transition(current, next, null);
    }

    /** Unreachable at {@code Short.MAX_VALUE} (see the class comment); kept there rather than overflowing. */
    private static short nextEpoch(TransactionMetadata current) {
        return current.producerEpoch() == Short.MAX_VALUE ? Short.MAX_VALUE : (short) (current.producerEpoch() + 1);
    }

    // ---- the calls of a running transaction ---------------------------------------------------------------

    /** AddPartitionsToTxn, and AddOffsetsToTxn with the group's offsets partition. */
    static Decision addPartitions(
            TransactionMetadata current,
            String busy,
            String transactionalId,
            long producerId,
            short producerEpoch,
            Set<TopicPartition> partitions,
            long now) {
        if (partitions.isEmpty()) {
            return reply(
                    TxnError.INVALID_REQUEST,
                    "AddPartitionsToTxn for transactional id " + transactionalId + " names no partition");
        }
        TxnAnswer producer =
                checkProducer(current, transactionalId, producerId, producerEpoch, "add partitions " + partitions);
        if (producer != null) {
            return new Decision.Reply(producer);
        }
        if (busy != null) {
            return concurrent(transactionalId, busy);
        }
        if (current.state().isPrepared()) {
            return concurrent(
                    transactionalId,
                    "its previous transaction is completing (" + current.state().displayName() + ")");
        }
        if (current.state() == TransactionState.ONGOING && current.partitions().containsAll(partitions)) {
            return new Decision.Reply(TxnAnswer.OK);
        }
        return new Decision.Transition(current, current.withPartitions(partitions, now), null);
    }

    static Decision endTransaction(
            TransactionMetadata current,
            String busy,
            String transactionalId,
            long producerId,
            short producerEpoch,
            TransactionResult result,
            long now) {
        String what = result == TransactionResult.COMMIT ? "commit" : "abort";
        // An abort from the instance whose timed-out transaction the coordinator aborted gets
        // INVALID_PRODUCER_EPOCH like its other calls: it re-initialises at once to catch up.
        TxnAnswer producer = checkProducer(current, transactionalId, producerId, producerEpoch, what);
        if (producer != null) {
            return new Decision.Reply(producer);
        }
        if (busy != null) {
            return concurrent(transactionalId, busy);
        }
        TransactionState state = current.state();
        boolean commit = result == TransactionResult.COMMIT;
        if (state == TransactionState.ONGOING) {
            return new Decision.Transition(
                    current,
                    current.moveTo(commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT, now),
                    null);
        }
        TransactionState same = commit ? TransactionState.COMPLETE_COMMIT : TransactionState.COMPLETE_ABORT;
        TransactionState completing = commit ? TransactionState.PREPARE_COMMIT : TransactionState.PREPARE_ABORT;
        if (state == same) {
            return new Decision.Reply(TxnAnswer.OK); // a retry of the EndTxn that ended it
        }
        if (state == completing) {
            return concurrent(transactionalId, "its " + what + " is completing");
        }
        String why = state == TransactionState.EMPTY
                ? "no transaction is open"
                : "the last transaction ended the other way (" + state.displayName() + ")";
        return reply(
                TxnError.INVALID_TXN_STATE,
                "Cannot " + what + " the transaction of transactional id " + transactionalId + " (producer "
                        + producerId + ", epoch " + producerEpoch + "): " + why);
    }

    /**
     * Whether a transactional offset commit may be appended now: the transaction must be Ongoing with the
     * group's offsets partition added, and not ending.
     *
     * @param ending whether a transition other than adding partitions is being written
     */
    static TxnAnswer checkOffsetWrite(
            TransactionMetadata current,
            boolean ending,
            String transactionalId,
            long producerId,
            short producerEpoch,
            TopicPartition offsetsPartition) {
        TxnAnswer producer = checkProducer(
                current, transactionalId, producerId, producerEpoch, "commit offsets to " + offsetsPartition);
        if (producer != null) {
            return producer;
        }
        if (ending) {
            return new TxnAnswer(
                    TxnError.CONCURRENT_TRANSACTIONS,
                    "The transaction of transactional id " + transactionalId
                            + " is changing state; retry the offset commit");
        }
        if (current.state() != TransactionState.ONGOING) {
            return new TxnAnswer(
                    TxnError.INVALID_TXN_STATE,
                    "Transactional id " + transactionalId + " has no transaction open ("
                            + current.state().displayName() + "): offsets can only be sent within one");
        }
        if (!current.partitions().contains(offsetsPartition)) {
            return new TxnAnswer(
                    TxnError.INVALID_TXN_STATE,
                    "Offsets partition " + offsetsPartition + " of the group was not added"
                            + " to the transaction of transactional id " + transactionalId + " (partitions "
                            + current.partitions()
                            + "): call AddOffsetsToTxn first, as sendOffsetsToTransaction does");
        }
        return TxnAnswer.OK;
    }

    /** Null if {@code producerId} and {@code producerEpoch} are the id's current ones, else the error. */
    private static TxnAnswer checkProducer(
            TransactionMetadata current, String transactionalId, long producerId, short producerEpoch, String what) {
        if (current == null) {
            return new TxnAnswer(
                    TxnError.INVALID_PRODUCER_ID_MAPPING,
                    "Transactional id " + transactionalId + " is unknown to the"
                            + " coordinator (never initialised, or expired after transactional.id.expiration.ms): cannot "
                            + what
                            + "; call initTransactions first");
        }
        if (producerId != current.producerId()) {
            return new TxnAnswer(
                    TxnError.INVALID_PRODUCER_ID_MAPPING,
                    "Transactional id " + transactionalId + " maps to producer id " + current.producerId() + ", not "
                            + producerId + ": cannot " + what + "; call initTransactions again");
        }
        if (producerEpoch == current.producerEpoch()) {
            return null;
        }
        if (producerEpoch >= 0 && producerEpoch == current.lastProducerEpoch()) {
            return new TxnAnswer(
                    TxnError.INVALID_PRODUCER_EPOCH,
                    "Producer " + producerId + " of transactional id " + transactionalId
                            + " is at epoch " + producerEpoch + " but the coordinator bumped it to "
                            + current.producerEpoch()
                            + " for this same producer (its transaction outlived transaction.timeout.ms="
                            + current.timeoutMs()
                            + " and was aborted, or it re-initialised): cannot " + what
                            + "; abort, then call InitProducerId with"
                            + " producer id " + producerId + " and epoch " + producerEpoch);
        }
        return new TxnAnswer(
                TxnError.PRODUCER_FENCED,
                "Producer " + producerId + " of transactional id " + transactionalId
                        + " sent epoch " + producerEpoch + " but the coordinator is at epoch " + current.producerEpoch()
                        + ": a newer instance took over; cannot " + what + "; close this producer");
    }

    // ---- the coordinator's own transitions ----------------------------------------------------------------

    /** An Ongoing transaction past its timeout: abort it at a bumped epoch, keeping the old one as the last. */
    static Decision.Transition abortTimedOut(TransactionMetadata current, long now) {
        // Kafka forgets the old epoch here, which leaves the producer nothing but PRODUCER_FENCED; keeping it
        // lets the same instance abort and re-initialise (KIP-588's intent).
        return new Decision.Transition(
                current,
                current.fencedAbort(nextEpoch(current), current.producerEpoch(), now),
                TransactionState.PREPARE_EPOCH_FENCE);
    }

    /** Every marker of a prepared transaction is written: Complete*. */
    static Decision.Transition complete(TransactionMetadata current, long now) {
        return new Decision.Transition(current, current.completed(now), null);
    }

    /** An idle id unused for {@code transactional.id.expiration.ms}: Dead, written as a tombstone. */
    static Decision.Transition expire(TransactionMetadata current, long now) {
        return new Decision.Transition(current, current.dead(now), null);
    }

    static boolean isExpired(TransactionMetadata current, long expirationMs, long now) {
        return current.state().isIdle() && current.lastUpdateTimestamp() <= now - expirationMs;
    }

    private static Decision.Reply reply(TxnError error, String message) {
        return new Decision.Reply(new TxnAnswer(error, message));
    }

    private static Decision.Reply concurrent(String transactionalId, String why) {
        return reply(
                TxnError.CONCURRENT_TRANSACTIONS,
                "Transactional id " + transactionalId + " is busy: " + why + "; retry");
    }
}
