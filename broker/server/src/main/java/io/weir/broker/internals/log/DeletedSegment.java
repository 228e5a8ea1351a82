package io.weir.broker.internals.log;

import java.io.IOException;

/**
 * A segment retention or a cleaner swap removed from its log, whose files go at {@link #deleteAtMs()} (the
 * directory's {@link SegmentDeleter} sees to it): until then readers that found it before the removal can
 * finish with it.
 */
public final class DeletedSegment {
    private final LogSegment segment;
    private final long deleteAtMs;

    DeletedSegment(LogSegment segment, long deleteAtMs) {
        this.segment = segment;
        this.deleteAtMs = deleteAtMs;
    }

    public long deleteAtMs() {
        return deleteAtMs;
    }

    public void deleteFiles() throws IOException {
        segment.deleteNow();
    }
}
