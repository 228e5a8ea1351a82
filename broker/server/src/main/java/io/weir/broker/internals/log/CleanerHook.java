package io.weir.broker.internals.log;

import java.io.IOException;

/**
 * Sees each step of a cleaning pass that changes files. Production passes {@link #NONE}; crash tests throw
 * from a step to stop the pass there, as a kill would, then reopen the log from its files.
 */
@FunctionalInterface
public interface CleanerHook {
    CleanerHook NONE = step -> {};

    /** The steps, in the order a pass reaches them for each group of segments it rewrites. */
    enum Step {
        /** The group's cleaned segment is created, empty, and its old segments are about to be read. */
        GROUP_STARTED,
        /** The cleaned segment's files are written and synced; nothing is committed. */
        CLEANED_WRITTEN,
        /** The swap marker is durable: recovery now finishes the swap. */
        SWAP_COMMITTED,
        /** One more old segment of the group was renamed {@code .deleted}. */
        OLD_SEGMENT_RETIRED,
        /** The cleaned files carry their final names; the marker is still there. */
        CLEANED_INSTALLED,
        /** The cleaner's checkpoint is about to be written after the pass. */
        PASS_DONE
    }

    void reached(Step step) throws IOException;
}
