package io.weir.broker.internals.log;

import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import java.util.function.Function;

/**
 * A partition of the data directory whose {@link Log} the broker has not opened yet: what its open needs (how the
 * directory was left and the partition's checkpointed offsets) and what the directory's checkpoints must keep
 * saying for it meanwhile. {@link LogManager} opens it on first use, so a broker open costs no work per idle
 * partition; until then nothing reads or writes its files, which are exactly as the last stop left them.
 *
 * <p>The open is the same {@link Log#open} an eager open would have run, with the same inputs, so the log it gives
 * has the same segments, offsets, producer state and last stable offset. What an eager broker would have done to
 * the open log in between is applied at the open: the last producer-expiry check it missed ({@link
 * #missedExpiryCheck}), and the configuration in effect then.
 *
 * <p>Threading: {@link #open} is serialised on this object, so concurrent first uses open the log once and all get
 * that log; {@link #discard} (topic deletion) and {@link #seal} (close) take the same lock, so they wait for an open
 * in progress and no open starts after them. Lock order: the {@code LogManager}'s monitor, then this.
 */
final class UnopenedLog {
    private final TopicPartition topicPartition;
    private final Shutdown shutdown;
    private final long checkpointedLogStart;
    private final long checkpointedRecoveryPoint;

    /** Guarded by {@code this}. */
    private Log opened;
    /** Guarded by {@code this}: the topic was deleted, or the directory closed. */
    private String gone;
    /** Guarded by {@code this}: the clock reading of the last producer-expiry check it missed, or -1. */
    private long missedExpiryCheckMs = -1L;

    UnopenedLog(
            TopicPartition topicPartition,
            Shutdown shutdown,
            long checkpointedLogStart,
            long checkpointedRecoveryPoint) {
        this.topicPartition = topicPartition;
        this.shutdown = shutdown;
        this.checkpointedLogStart = checkpointedLogStart;
        this.checkpointedRecoveryPoint = checkpointedRecoveryPoint;
    }

    TopicPartition topicPartition() {
        return topicPartition;
    }

    /** How the last stop left the log: what its open checks. */
    Shutdown shutdown() {
        return shutdown;
    }

    long checkpointedLogStart() {
        return checkpointedLogStart;
    }

    /**
     * What the recovery-point checkpoint keeps saying until the log opens: the value read at the directory's open.
     * Nothing has been synced since, and a later crash must recover the partition from there.
     */
    long checkpointedRecoveryPoint() {
        return checkpointedRecoveryPoint;
    }

    /** Whether a clean close must leave this partition marked for crash recovery (see {@code CleanShutdownMarker}). */
    boolean needsRecovery() {
        return shutdown instanceof Shutdown.Crash;
    }

    /** Records a producer-expiry check the log missed at {@code nowMs}; its open applies the latest one. */
    synchronized void missedExpiryCheck(long nowMs) {
        missedExpiryCheckMs = Math.max(missedExpiryCheckMs, nowMs);
    }

    /**
     * The log, opened by {@code opener} on the first call; later and concurrent calls get the same log. A failed
     * open (a damaged file, an I/O error) throws and leaves this unopened, so the next use tries again and meets the
     * same error.
     *
     * @param opener opens the log; the caller publishes it before this returns
     * @throws UnknownTopicOrPartitionException the topic was deleted
     * @throws KafkaStorageException            the directory was closed
     */
    synchronized Log open(Function<UnopenedLog, Log> opener) {
        if (opened != null) {
            return opened;
        }
        if (gone != null) {
            throw gone.equals("deleted")
                    ? UnknownTopicOrPartitionException.unknownTopic(topicPartition.topic())
                    : new KafkaStorageException("The log of " + topicPartition + " is closed");
        }
        Log log = opener.apply(this);
        if (missedExpiryCheckMs >= 0) {
            log.removeExpiredProducers(missedExpiryCheckMs);
        }
        opened = log;
        return log;
    }

    /** The topic was deleted: no open may start from now on. Waits for one in progress; returns its log, or null. */
    synchronized Log discard() {
        gone = "deleted";
        return opened;
    }

    /** The directory is closing: no open may start from now on. Waits for one in progress. */
    synchronized void seal() {
        if (gone == null) {
            gone = "closed";
        }
    }

    /** The log if an open finished, else null. */
    synchronized Log openedLog() {
        return opened;
    }
}
