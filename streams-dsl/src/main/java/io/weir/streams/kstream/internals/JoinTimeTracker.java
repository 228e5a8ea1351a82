package io.weir.streams.kstream.internals;

import io.weir.streams.processor.api.ProcessingContext;
import io.weir.streams.state.WindowStore;
import io.weir.streams.state.internals.WindowStoreFacade;
import java.util.Collections;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * The stream time one stream-stream join keeps in one task, shared by the processors of both sides (Kafka Streams'
 * {@code TimeTracker}): the newest timestamp of a record either side stored, and a lower bound on the timestamps
 * waiting in the outer-join store, so that a record need not open an iterator when nothing can have closed.
 *
 * <p>Used on its task's thread only. On start it is seeded from the newest record in each side's window store, so a
 * restarted task sees the stream time its last commit reflected (Kafka's tracker starts over), and the records of
 * the outer-join store are scanned once.
 */
final class JoinTimeTracker {
    /** {@link #minOuterTime} when the outer-join store's contents are not known (after a restart). */
    static final long UNKNOWN = Long.MIN_VALUE;

    private long streamTime = -1L;
    private long minOuterTime = UNKNOWN;

    long streamTime() {
        return streamTime;
    }

    void advance(long timestamp) {
        streamTime = Math.max(streamTime, timestamp);
    }

    /** Seeds stream time from a window store's newest record. */
    void observe(WindowStore<?, ?> store) {
        if (store instanceof WindowStoreFacade<?, ?> facade) {
            long observed = facade.observedStreamTime();
            if (observed != Long.MIN_VALUE) {
                advance(observed);
            }
        }
    }

    /** A lower bound on the outer-join store's timestamps; {@link Long#MAX_VALUE} if empty, {@link #UNKNOWN}. */
    long minOuterTime() {
        return minOuterTime;
    }

    void minOuterTime(long timestamp) {
        minOuterTime = timestamp;
    }

    void waiting(long timestamp) {
        if (minOuterTime != UNKNOWN) {
            minOuterTime = Math.min(minOuterTime, timestamp);
        }
    }

    /**
     * The trackers of one join, one per task instance. Keyed by the task's context (one per task instance, compared by
     * identity) rather than its id, so that a task made again after its predecessor stopped without closing (a halted
     * thread) starts from its stores, not from the stream time of records its predecessor never committed; weakly,
     * so a tracker goes with its task. Tasks run on several threads, hence the lock.
     */
    static final class Supplier {
        private final Map<ProcessingContext, JoinTimeTracker> trackers =
                Collections.synchronizedMap(new WeakHashMap<>());

        JoinTimeTracker get(ProcessingContext task) {
            return trackers.computeIfAbsent(task, t -> new JoinTimeTracker());
        }
    }
}
