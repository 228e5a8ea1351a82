package io.weir.common.protocol;

import java.nio.ByteBuffer;

/**
 * Where an in-process fetch reads the batches it returns: a consumer lends the broker buffers it reuses once it has
 * turned their records into its own objects, instead of the broker allocating one per partition per fetch.
 *
 * <p>Contract: {@link #allocate} hands the broker a buffer it may write until it completes the fetch's future. The
 * buffers that the answer's partitions carry ({@code FetchResponse.PartitionData#records}, possibly a slice of one)
 * belong to the answer's reader from then on; a buffer the broker allocated but left out of the answer (a read it
 * discarded without {@link #discard giving it back}) may still be written by a broker thread after the answer and must
 * never be reused. A network
 * transport ignores it.
 *
 * <p>Called from broker threads, possibly several at once: implementations are thread-safe.
 */
@FunctionalInterface
public interface ReadBuffers {
    /** A fresh heap buffer each time: what a fetch without a lender gets. */
    ReadBuffers HEAP = ByteBuffer::allocate;

    /** A heap buffer with a backing array, position 0 and limit {@code size} (its capacity may be larger). */
    ByteBuffer allocate(int size);

    /**
     * Gives back a buffer that {@link #allocate} handed out (or a slice of one) and that the broker read into and
     * dropped before anyone else saw it — a long poll's re-read below {@code fetch.min.bytes} — so the lender may lend
     * it again; the broker neither reads nor writes it after this call. Buffers this lender did not hand out, and null,
     * are ignored. The default keeps nothing: the collector takes the buffer.
     */
    default void discard(ByteBuffer buffer) {}
}
