package io.weir.broker.internals.write;

import com.lmax.disruptor.BlockingWaitStrategy;
import com.lmax.disruptor.BusySpinWaitStrategy;
import com.lmax.disruptor.ExceptionHandler;
import com.lmax.disruptor.InsufficientCapacityException;
import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.SleepingWaitStrategy;
import com.lmax.disruptor.WaitStrategy;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.dsl.Disruptor;
import com.lmax.disruptor.dsl.ProducerType;
import io.weir.broker.AppendWaitStrategy;
import io.weir.broker.FlushPolicy;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.common.TopicPartition;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.TimeoutException;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.SynchronousQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

/**
 * The broker's write path: a fixed number of LMAX Disruptor rings, each drained by one {@link AppendHandler}
 * thread. A partition always maps to the same ring, so each log has exactly one writer and appends need no
 * locks; several partitions share a ring, and so share its group commit. Unless the flush policy is {@code os},
 * each ring also has a {@link GroupCommitter}, which syncs what the append thread wrote while it goes on
 * writing, and acknowledges only after the sync.
 *
 * <p>Publishing is multi-producer and lock-free. When a ring is full, {@link #append} waits for a free slot
 * until its deadline and then fails with a {@link TimeoutException} naming the ring and the wait: back-pressure
 * reaches the producer instead of memory growing without bound.
 *
 * <p>Lifecycle: built running; {@link #close()} waits for every published event to be handled, then stops
 * the threads. Appends after close fail at once.
 */
public final class AppendRings implements AutoCloseable {
    private final List<Disruptor<AppendEvent>> disruptors = new ArrayList<>();
    private final List<RingBuffer<AppendEvent>> rings = new ArrayList<>();
    /** One per ring unless the flush policy is {@code os}. */
    private final List<GroupCommitter> committers = new ArrayList<>();
    /**
     * The most syncs of one group that run at once. Parallel syncs of several partitions' files let the file
     * system share one journal commit among them, instead of one commit per file in turn.
     */
    private static final int PARALLEL_SYNCS = 8;

    private final ThreadPoolExecutor parallelSyncs;
    private final Time time;
    private volatile boolean closed;
    /** Publishers between their closed-check and their publish; close waits for them to finish. */
    private final AtomicInteger publishing = new AtomicInteger();

    public AppendRings(
            int ringCount,
            int ringSize,
            AppendWaitStrategy waitStrategy,
            FlushPolicy flushPolicy,
            HighWatermarkListener listener,
            Time time) {
        this(ringCount, ringSize, waitStrategy, flushPolicy, listener, time, Log::syncForGroupCommit);
    }

    /** With the group commit's sync replaced by {@code syncer} (tests: record or fail the syncs). */
    AppendRings(
            int ringCount,
            int ringSize,
            AppendWaitStrategy waitStrategy,
            FlushPolicy flushPolicy,
            HighWatermarkListener listener,
            Time time,
            GroupCommitter.Syncer syncer) {
        this.time = time;
        AtomicInteger threadIndex = new AtomicInteger();
        AtomicInteger syncThreadIndex = new AtomicInteger();
        // Syncs of a group's other logs. Threads are made on demand and idle out, so a broker that writes one
        // partition at a time, or never syncs, keeps none.
        this.parallelSyncs = flushPolicy == FlushPolicy.OS
                ? null
                : new ThreadPoolExecutor(
                        0,
                        PARALLEL_SYNCS,
                        60,
                        TimeUnit.SECONDS,
                        new SynchronousQueue<>(),
                        r -> {
                            Thread thread = new Thread(r, "weir-sync-" + syncThreadIndex.getAndIncrement());
                            thread.setDaemon(true);
                            return thread;
                        },
                        new ThreadPoolExecutor.CallerRunsPolicy());
        for (int i = 0; i < ringCount; i++) {
            GroupCommitter committer = flushPolicy == FlushPolicy.OS
                    ? null
                    : new GroupCommitter("weir-group-commit-" + i, syncer, parallelSyncs, listener, ringSize);
            if (committer != null) {
                committers.add(committer);
            }
            Disruptor<AppendEvent> disruptor = new Disruptor<>(
                    AppendEvent::new,
                    ringSize,
                    runnable -> {
                        Thread thread = new Thread(runnable, "weir-append-" + threadIndex.getAndIncrement());
                        thread.setDaemon(true);
                        return thread;
                    },
                    ProducerType.MULTI,
                    waitStrategy(waitStrategy));
            disruptor.handleEventsWith(new AppendHandler(flushPolicy, listener, committer));
            disruptor.setDefaultExceptionHandler(new FailingExceptionHandler());
            rings.add(disruptor.start());
            disruptors.add(disruptor);
        }
    }

    private static WaitStrategy waitStrategy(AppendWaitStrategy strategy) {
        return switch (strategy) {
            case BUSY_SPIN -> new BusySpinWaitStrategy();
            case YIELDING -> new YieldingWaitStrategy();
            case SLEEPING -> new SleepingWaitStrategy();
            case BLOCKING -> new BlockingWaitStrategy();
        };
    }

    /** The ring a partition is sharded to: stable for the life of the broker. */
    int ringOf(TopicPartition tp) {
        return Math.floorMod(tp.hashCode(), rings.size());
    }

    /**
     * Queues {@code batches} for {@code log}; {@code callback} runs on the append thread once they are
     * written, synced per policy and visible. Waits at most {@code maxBlockMs} for a free slot.
     *
     * @throws TimeoutException the ring stayed full for {@code maxBlockMs}
     * @throws KafkaStorageException the write path is closed
     */
    public void append(Log log, ByteBuffer batches, AppendCallback callback, long maxBlockMs) {
        append(log, batches, AppendOrigin.CLIENT, callback, maxBlockMs);
    }

    /**
     * {@link #append(Log, ByteBuffer, AppendCallback, long)} on behalf of {@code origin}, which decides what the
     * log accepts (only a coordinator may write transaction markers).
     */
    public void append(Log log, ByteBuffer batches, AppendOrigin origin, AppendCallback callback, long maxBlockMs) {
        // Counted before the closed-check: close sets closed, then waits for the count to drain, so every
        // event published after a successful check is handled before the rings stop.
        publishing.incrementAndGet();
        try {
            if (closed) {
                throw new KafkaStorageException(
                        "The broker's write path is closed; cannot append to " + log.topicPartition());
            }
            publish(log, batches, origin, callback, maxBlockMs);
        } finally {
            publishing.decrementAndGet();
        }
    }

    private void publish(Log log, ByteBuffer batches, AppendOrigin origin, AppendCallback callback, long maxBlockMs) {
        int ring = ringOf(log.topicPartition());
        RingBuffer<AppendEvent> buffer = rings.get(ring);
        long sequence;
        try {
            sequence = buffer.tryNext();
        } catch (InsufficientCapacityException full) {
            sequence = awaitSlot(buffer, ring, log.topicPartition(), maxBlockMs);
        }
        try {
            buffer.get(sequence).set(log, batches, origin, callback);
        } finally {
            buffer.publish(sequence);
        }
    }

    private long awaitSlot(RingBuffer<AppendEvent> buffer, int ring, TopicPartition tp, long maxBlockMs) {
        long deadline = time.nanoseconds() + TimeUnit.MILLISECONDS.toNanos(maxBlockMs);
        long parkNanos = 1_000;
        while (true) {
            if (closed) {
                throw new KafkaStorageException("The broker's write path closed while waiting to append to " + tp);
            }
            try {
                return buffer.tryNext();
            } catch (InsufficientCapacityException full) {
                if (time.nanoseconds() - deadline >= 0) {
                    throw new TimeoutException("Append ring-" + ring + " (holding " + tp + ") stayed full of "
                            + buffer.getBufferSize() + " pending appends for " + maxBlockMs
                            + " ms; the disk is not keeping up with producers");
                }
                // The append thread frees slots in batches; back off briefly instead of spinning a shared core.
                LockSupport.parkNanos(parkNanos);
                parkNanos = Math.min(parkNanos * 2, 1_000_000);
            }
        }
    }

    /** Handles everything already published, then stops the append threads. Idempotent. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        while (publishing.get() > 0) {
            // A publisher past its closed-check is at most one slot wait away from publishing; a waiter on
            // a full ring sees closed and gives up, so this ends.
            Thread.onSpinWait();
        }
        for (Disruptor<AppendEvent> disruptor : disruptors) {
            disruptor.shutdown();
        }
        // After the append threads stopped: every batch they handed over is synced and acknowledged.
        for (GroupCommitter committer : committers) {
            committer.close();
        }
        if (parallelSyncs != null) {
            parallelSyncs.shutdown();
        }
    }

    /**
     * Append and flush failures are caught by the handler and reported per request; anything reaching this
     * handler is a bug in the handler itself, so it fails loudly rather than halting the ring silently.
     */
    private static final class FailingExceptionHandler implements ExceptionHandler<AppendEvent> {
        @Override
        public void handleEventException(Throwable ex, long sequence, AppendEvent event) {
            AppendCallback callback = event.callback;
            event.clear();
            if (callback != null) {
                callback.onComplete(null, new KafkaStorageException("Append thread failed: " + ex, ex));
            }
        }

        @Override
        public void handleOnStartException(Throwable ex) {
            throw new IllegalStateException("Append thread failed to start", ex);
        }

        @Override
        public void handleOnShutdownException(Throwable ex) {
            // the ring is stopping; nothing is waiting on it any more
        }
    }
}
