package io.weir.streams.processor.internals;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.OffsetSpec;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.ConsumerRecord;
import io.weir.common.TopicPartition;
import io.weir.common.utils.Time;
import io.weir.state.ChangelogRecord;
import io.weir.state.RestoreListener;
import io.weir.state.RestoreProgress;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.processor.StateRestoreListener;
import io.weir.streams.state.internals.ManagedStore;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.OptionalLong;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a store up to its changelog's end before its task processes anything: it replays, through a
 * {@code read_committed} consumer with no group, the changelog records after the store's checkpoint (the offset
 * its last commit carried). A store committed after every broker commit, so its checkpoint never reflects an aborted
 * write, and the replay is bounded by what was written since the last commit. A store without a checkpoint (new,
 * in memory, or wiped) replays the whole changelog.
 */
final class ChangelogRestorer {
    private static final Logger LOG = LoggerFactory.getLogger(ChangelogRestorer.class);
    /** How long a restore may go without reading anything before it is declared stuck. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    /** How long a restore waits for the changelog's last stable offset to reach its high watermark. */
    private static final long STABLE_TIMEOUT_SECONDS = 30;

    private static final Duration STABLE_TIMEOUT = Duration.ofSeconds(STABLE_TIMEOUT_SECONDS);

    private final Consumer<byte[], byte[]> consumer;
    private final Admin admin;
    private final StateRestoreListener listener;
    private final Time time;

    /** What a restore did: where it started and ended, and how many records it replayed. */
    record Restored(long startOffset, long endOffset, long records) {}

    ChangelogRestorer(Consumer<byte[], byte[]> consumer, Admin admin, StateRestoreListener listener, Time time) {
        this.consumer = consumer;
        this.admin = admin;
        this.listener = listener;
        this.time = time;
    }

    /**
     * Replays {@code changelog} into {@code store} from its checkpoint to the changelog's last stable offset.
     *
     * <p>A transaction's commit returns before its markers are all written, so right after a commit (a task moving
     * between threads, a restart) the last stable offset can trail records already committed: the restore first
     * waits, up to {@value #STABLE_TIMEOUT_SECONDS} s, for it to reach the high watermark, lest it stop short of a
     * committed write whose input offsets the group already holds.
     *
     * @return null if the checkpoint cannot be continued: it lies at or past the changelog's high watermark (the topic
     *         was deleted, recreated or truncated) or before its first record (records after it were deleted); the
     *         caller must wipe the store and restore it in full
     */
    Restored restore(ManagedStore store, TopicPartition changelog) {
        consumer.assign(List.of(changelog));
        try {
            long highWatermark = highWatermark(changelog);
            long end = stableEnd(changelog, highWatermark);
            long beginning = consumer.beginningOffsets(List.of(changelog)).get(changelog);
            OptionalLong checkpoint = store.committedOffset();
            if (checkpoint.isPresent()
                    && (checkpoint.getAsLong() >= highWatermark || checkpoint.getAsLong() + 1 < beginning)) {
                return null;
            }
            long start = checkpoint.isPresent() ? checkpoint.getAsLong() + 1 : beginning;
            listener.onRestoreStart(changelog, store.name(), start, end);
            if (start >= end) {
                listener.onRestoreEnd(changelog, store.name(), 0);
                return new Restored(start, end, 0);
            }
            consumer.seek(changelog, start);
            RestoreProgress progress = store.restore(new Replay(changelog, end), end - start, new Progress(changelog));
            listener.onRestoreEnd(changelog, store.name(), progress.restored());
            return new Restored(start, end, progress.restored());
        } finally {
            consumer.assign(List.of());
        }
    }

    private long highWatermark(TopicPartition changelog) {
        try {
            return admin.listOffsets(Map.of(changelog, OffsetSpec.latest()))
                    .values()
                    .get(changelog)
                    .get(STABLE_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)
                    .offset();
        } catch (ExecutionException e) {
            throw new StreamsException("Could not read the end of " + changelog + ": " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("Interrupted reading the end of " + changelog, e);
        } catch (java.util.concurrent.TimeoutException e) {
            throw new StreamsException("Timed out reading the end of " + changelog, e);
        }
    }

    /** The last stable offset, once it reached {@code highWatermark} or the wait ran out. */
    private long stableEnd(TopicPartition changelog, long highWatermark) {
        long deadline = time.milliseconds() + STABLE_TIMEOUT.toMillis();
        long end = consumer.endOffsets(List.of(changelog)).get(changelog);
        while (end < highWatermark && time.milliseconds() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1)); // the markers are sub-millisecond away
            end = consumer.endOffsets(List.of(changelog)).get(changelog);
        }
        if (end < highWatermark) {
            LOG.warn(
                    "The last stable offset of {} stayed at {} below its high watermark {} for {}: a transaction "
                            + "on it is still open; restoring up to the stable offset",
                    changelog,
                    end,
                    highWatermark,
                    STABLE_TIMEOUT);
        }
        return end;
    }

    private final class Progress implements RestoreListener {
        private final TopicPartition changelog;
        private long reported;

        Progress(TopicPartition changelog) {
            this.changelog = changelog;
        }

        @Override
        public void onBatchRestored(String store, RestoreProgress progress) {
            listener.onBatchRestored(changelog, store, progress.lastOffset(), progress.restored() - reported);
            reported = progress.restored();
        }
    }

    /** The changelog's records from the consumer's position up to {@code end}, fetched as the store asks. */
    private final class Replay implements Iterator<ChangelogRecord> {
        private final TopicPartition changelog;
        private final long end;
        private final ArrayDeque<ConsumerRecord<byte[], byte[]>> fetched = new ArrayDeque<>();

        Replay(TopicPartition changelog, long end) {
            this.changelog = changelog;
            this.end = end;
        }

        @Override
        public boolean hasNext() {
            long lastProgress = time.milliseconds();
            while (fetched.isEmpty()) {
                if (consumer.position(changelog) >= end) {
                    return false;
                }
                // A short poll: the rest of the range may hold only a transaction marker, which yields no record
                // (under exactly-once a store's checkpoint is its last record, and the marker follows it), and a
                // long poll would wait its whole timeout for records that never come.
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(5))) {
                    if (record.offset() < end && record.key() != null) {
                        fetched.add(record);
                    }
                }
                if (!fetched.isEmpty()) {
                    return true;
                }
                if (time.milliseconds() - lastProgress > STALL_TIMEOUT.toMillis()) {
                    throw new StreamsException("Restoring from " + changelog + " read nothing for " + STALL_TIMEOUT
                            + " at offset " + consumer.position(changelog) + " of " + end);
                }
            }
            return true;
        }

        @Override
        public ChangelogRecord next() {
            if (!hasNext()) {
                throw new NoSuchElementException();
            }
            ConsumerRecord<byte[], byte[]> record = fetched.poll();
            return new ChangelogRecord(record.offset(), record.key(), record.value());
        }
    }
}
