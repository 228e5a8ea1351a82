package io.weir.broker.internals.log;

import io.weir.common.utils.Time;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Deletes the files of segments their log no longer holds — removed by retention or replaced by a cleaner swap
 * — once each one's {@code file.delete.delay.ms} has passed, so that readers that found a segment before its
 * removal can finish with it (its files are renamed {@code .deleted} meanwhile). One per log directory, in its
 * {@link LogDirContext}; while the broker runs, the only place segment files go.
 *
 * <p>A segment is due when the directory's {@link Time} reaches its {@link DeletedSegment#deleteAtMs()}.
 * Due segments are deleted when segments are retired, after every retention run and cleaner round
 * ({@link #deleteDue()}), and, once {@link #scheduleOn} gave it an executor, by a task run when each segment
 * falls due. {@link #close()} deletes what is left: by then no reader remains. What a crash leaves, the next
 * open removes.
 *
 * <p>Threading: any thread; {@code pending} is guarded by {@code this}, files are deleted outside it.
 */
public final class SegmentDeleter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SegmentDeleter.class);

    private final Time time;
    /** Guarded by {@code this}. */
    private final List<DeletedSegment> pending = new ArrayList<>();
    /** Guarded by {@code this}; null until {@link #scheduleOn}. */
    private ScheduledExecutorService executor;

    public SegmentDeleter(Time time) {
        this.time = time;
    }

    /** Runs a deletion when each segment retired from now on falls due (the broker's maintenance executor). */
    public synchronized void scheduleOn(ScheduledExecutorService executor) {
        this.executor = executor;
    }

    /** Takes {@code segments}, already removed from their logs, and deletes those already due. */
    public void retire(Collection<DeletedSegment> segments) {
        if (segments.isEmpty()) {
            return;
        }
        synchronized (this) {
            pending.addAll(segments);
            if (executor != null) {
                long now = time.milliseconds();
                for (DeletedSegment segment : segments) {
                    long delay = segment.deleteAtMs() - now;
                    if (delay > 0) {
                        try {
                            executor.schedule(this::deleteDue, delay, TimeUnit.MILLISECONDS);
                        } catch (RejectedExecutionException shuttingDown) {
                            break; // close deletes what waits
                        }
                    }
                }
            }
        }
        deleteDue();
    }

    /** Deletes the files of every segment that is due. */
    public void deleteDue() {
        delete(false);
    }

    /** The number of retired segments whose files still wait. */
    public synchronized int pendingCount() {
        return pending.size();
    }

    /** Deletes every retired segment's files, due or not. Idempotent. */
    @Override
    public void close() {
        delete(true);
    }

    private void delete(boolean all) {
        List<DeletedSegment> due = new ArrayList<>();
        synchronized (this) {
            long now = time.milliseconds();
            for (Iterator<DeletedSegment> it = pending.iterator(); it.hasNext(); ) {
                DeletedSegment segment = it.next();
                if (all || segment.deleteAtMs() <= now) {
                    due.add(segment);
                    it.remove();
                }
            }
        }
        for (DeletedSegment segment : due) {
            try {
                segment.deleteFiles();
            } catch (IOException e) {
                LOG.warn("Could not delete the files of a removed segment; the next open" + " removes them: " + e, e);
            }
        }
    }
}
