package io.weir.broker.network.internals;

import io.netty.channel.DefaultFileRegion;
import io.weir.common.record.FileBatches;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Batches sent from a segment file with {@code sendfile} (epoll; {@code FileChannel.transferTo} on NIO). A
 * {@link DefaultFileRegion} subclass, because epoll's native {@code sendfile} path takes only that class, over the
 * segment's own channel, which it must never close: the segment owns it. It does not reopen the file by name either
 * (the log cleaner may have swapped another file in under that name, and the positions would point into it).
 *
 * <p>So a segment deleted while its bytes wait in a connection's outbound buffer (its channel closes
 * {@code file.delete.delay.ms} after it leaves the log) fails the transfer with {@link SegmentClosedException}, which
 * the connection answers by closing, with a log line naming the peer; the client fetches again, from a log that no
 * longer holds the segment. This is the chosen alternative to reference-counting segments against deletion; Kafka's
 * segment files close after the same delay too.
 *
 * <p>Netty touches a region on the connection's event loop only. Event loops are never interrupted, so NIO's
 * interruptible {@code transferTo} cannot close the segment's channel for its other readers (epoll's {@code sendfile}
 * is native and not interruptible at all).
 */
final class SegmentFileRegion extends DefaultFileRegion {
    private final FileBatches batches;

    SegmentFileRegion(FileBatches batches) {
        super(batches.channel(), batches.position(), batches.size());
        this.batches = batches;
    }

    /** Called by Netty before each transfer (epoll's {@code sendfile} and {@code transferTo} alike). */
    @Override
    public void open() throws IOException {
        if (!batches.channel().isOpen()) {
            throw new SegmentClosedException(batches.file());
        }
        super.open();
    }

    /** Leaves the segment's channel open: it is the segment's, not this region's. */
    @Override
    protected void deallocate() {}

    /** The segment file of a region in flight was closed (the segment was deleted) before its bytes were sent. */
    static final class SegmentClosedException extends IOException {
        SegmentClosedException(Path file) {
            super("the segment file " + file + " was closed (the segment was deleted) before its batches were sent");
        }
    }
}
