package io.weir.streams.processor.internals;

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
import java.util.NoSuchElementException;
import java.util.OptionalLong;

/**
 * Brings a store up to its changelog's end before its task processes anything: it replays, through a
 * {@code read_committed} consumer with no group, the changelog records after the store's checkpoint (the offset
 * its last commit carried). A store committed after every broker commit, so its checkpoint never reflects an aborted
 * write, and the replay is bounded by what was written since the last commit. A store without a checkpoint (new,
 * in memory, or wiped) replays the whole changelog.
 */
final class ChangelogRestorer {
    /** How long a restore may go without reading anything before it is declared stuck. */
    private static final Duration STALL_TIMEOUT = Duration.ofSeconds(60);

    private final Consumer<byte[], byte[]> consumer;
    private final StateRestoreListener listener;
    private final Time time;

    /** What a restore did: where it started and ended, and how many records it replayed. */
    record Restored(long startOffset, long endOffset, long records) {}

    ChangelogRestorer(Consumer<byte[], byte[]> consumer, StateRestoreListener listener, Time time) {
        this.consumer = consumer;
        this.listener = listener;
        this.time = time;
    }

    /**
     * Replays {@code changelog} into {@code store} from its checkpoint to the changelog's last stable offset.
     *
     * @return null if the checkpoint lies past the changelog's end (the topic was recreated or truncated): the
     *         caller must wipe the store and restore it again from the start
     */
    Restored restore(ManagedStore store, TopicPartition changelog) {
        consumer.assign(List.of(changelog));
        try {
            long end = consumer.endOffsets(List.of(changelog)).get(changelog);
            long beginning = consumer.beginningOffsets(List.of(changelog)).get(changelog);
            OptionalLong checkpoint = store.committedOffset();
            long start = checkpoint.isPresent() ? checkpoint.getAsLong() + 1 : beginning;
            if (start > end) {
                return null;
            }
            start = Math.max(start, beginning);
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
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(100))) {
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
