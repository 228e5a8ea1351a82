package io.weir.broker.internals.write;

import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.broker.internals.log.PublishedOffsets;
import io.weir.common.errors.KafkaStorageException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The sync stage of one append ring: group commit with the writes and the syncs in a pipeline. The append
 * thread writes a ring batch into the page cache and hands it over ({@link #handOver}) instead of syncing
 * itself; this committer's thread takes <em>everything</em> handed over since its last sync, syncs each log
 * touched once (in parallel when there are several, so the file system can share one journal commit among
 * them), then publishes the high watermarks the append thread recorded, completes every acknowledgement in
 * the order appended and wakes waiting fetches. While one group is syncing the append thread writes the
 * next, so a sync covers all the data that arrived during the previous sync, and the disk is kept busy
 * instead of alternating between the writer and the sync.
 *
 * <h2>Invariants</h2>
 * <ul>
 *   <li>No acknowledgement completes, and no high watermark moves past an offset, before a sync that started
 *       after that offset was written has returned ({@link Log#syncForGroupCommit}).</li>
 *   <li>Acknowledgements of one ring complete in the order the ring appended them: ring batches are synced
 *       and completed in hand-over order, and the append thread completes a batch itself only when nothing it
 *       handed over is still outstanding ({@link #idle}).</li>
 *   <li>At most {@code maxQueuedAcks} acknowledgements wait here; past that {@link #handOver} blocks the
 *       append thread, its ring fills, and producers feel the back-pressure the slow disk causes.</li>
 * </ul>
 *
 * <h2>Threading</h2>
 * {@link #handOver} and {@link #idle} are called by the one append thread; the committer's own thread does
 * the rest. {@code lock} guards {@code queue}, {@code queuedAcks}, {@code outstanding} and {@code closed}.
 * Callbacks run on the committer's thread and, as on the append thread, must not block.
 */
final class GroupCommitter implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(GroupCommitter.class);

    /** One acknowledgement waiting for its log's sync. */
    record Ack(Log log, AppendCallback callback, LogAppendInfo result, RuntimeException error) {}

    /**
     * One ring batch: its acknowledgements in ring order and, for each log it wrote, the offsets to publish
     * once synced (taken right after the batch's last append).
     */
    record RingBatch(List<Ack> acks, Map<Log, PublishedOffsets> offsets) {}

    /** The sync seam: {@link Log#syncForGroupCommit} in production, a recording fake in tests. */
    @FunctionalInterface
    interface Syncer {
        void sync(Log log, long upTo);
    }

    private final Syncer syncer;
    private final Executor parallelSyncs;
    private final HighWatermarkListener listener;
    private final int maxQueuedAcks;
    private final Thread thread;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition work = lock.newCondition();
    private final Condition space = lock.newCondition();
    private final ArrayDeque<RingBatch> queue = new ArrayDeque<>();
    private int queuedAcks;
    /** Ring batches handed over and not yet completed (queued or in the sync). */
    private int outstanding;

    private boolean closed;

    /**
     * @param parallelSyncs runs the syncs of all but one log of a group, when a group touched several
     * @param listener told of every log whose high watermark moved; may be null
     */
    GroupCommitter(
            String name, Syncer syncer, Executor parallelSyncs, HighWatermarkListener listener, int maxQueuedAcks) {
        this.syncer = syncer;
        this.parallelSyncs = parallelSyncs;
        this.listener = listener;
        this.maxQueuedAcks = maxQueuedAcks;
        this.thread = new Thread(this::run, name);
        thread.setDaemon(true);
        thread.start();
    }

    /** Whether everything handed over is completed, so the append thread may complete a batch itself. */
    boolean idle() {
        lock.lock();
        try {
            return outstanding == 0;
        } finally {
            lock.unlock();
        }
    }

    /** Queues a ring batch for the next sync; blocks while {@code maxQueuedAcks} acknowledgements wait already. */
    void handOver(RingBatch batch) {
        lock.lock();
        try {
            // A batch larger than the bound on its own is let through once the queue is empty, or it never would.
            while (!closed && queuedAcks > 0 && queuedAcks + batch.acks().size() > maxQueuedAcks) {
                space.awaitUninterruptibly();
            }
            if (closed) {
                throw new IllegalStateException("group commit closed under the append thread");
            }
            queue.add(batch);
            queuedAcks += batch.acks().size();
            outstanding++;
            work.signal();
        } finally {
            lock.unlock();
        }
    }

    private void run() {
        List<RingBatch> group = new ArrayList<>();
        while (true) {
            lock.lock();
            try {
                while (queue.isEmpty() && !closed) {
                    work.awaitUninterruptibly();
                }
                if (queue.isEmpty()) {
                    return; // closed and drained
                }
                group.addAll(queue);
                queue.clear();
                queuedAcks = 0;
                space.signalAll();
            } finally {
                lock.unlock();
            }
            commit(group);
            lock.lock();
            try {
                outstanding -= group.size();
            } finally {
                lock.unlock();
            }
            group.clear();
        }
    }

    private void commit(List<RingBatch> group) {
        // The newest offsets of each log: ring batches are in append order, so a later one's cover the earlier.
        Map<Log, PublishedOffsets> latest = new IdentityHashMap<>();
        List<Log> logs = new ArrayList<>();
        for (RingBatch batch : group) {
            for (Map.Entry<Log, PublishedOffsets> entry : batch.offsets().entrySet()) {
                if (latest.put(entry.getKey(), entry.getValue()) == null) {
                    logs.add(entry.getKey());
                }
            }
        }
        Map<Log, RuntimeException> failed = syncAll(logs, latest);
        for (Log log : logs) {
            if (!failed.containsKey(log)) {
                log.advanceHighWatermarkTo(latest.get(log));
            }
        }
        for (RingBatch batch : group) {
            for (Ack ack : batch.acks()) {
                RuntimeException error = ack.error() != null ? ack.error() : failed.get(ack.log());
                if (ack.callback() != null) {
                    complete(ack.callback(), error == null ? ack.result() : null, error);
                }
            }
        }
        if (listener != null) {
            for (Log log : logs) {
                listener.onHighWatermarkAdvanced(log.topicPartition());
            }
        }
    }

    /** Syncs every log, all but the first on {@code parallelSyncs}; returns the failures by log. */
    private Map<Log, RuntimeException> syncAll(List<Log> logs, Map<Log, PublishedOffsets> upTo) {
        Map<Log, RuntimeException> failed = new IdentityHashMap<>();
        if (logs.isEmpty()) {
            return failed;
        }
        List<CompletableFuture<RuntimeException>> others = new ArrayList<>(logs.size() - 1);
        for (int i = 1; i < logs.size(); i++) {
            Log log = logs.get(i);
            CompletableFuture<RuntimeException> sync;
            try {
                sync = CompletableFuture.supplyAsync(() -> syncOne(log, upTo.get(log)), parallelSyncs);
            } catch (RejectedExecutionException closing) {
                sync = CompletableFuture.completedFuture(syncOne(log, upTo.get(log)));
            }
            others.add(sync);
        }
        RuntimeException first = syncOne(logs.get(0), upTo.get(logs.get(0)));
        if (first != null) {
            failed.put(logs.get(0), first);
        }
        for (int i = 1; i < logs.size(); i++) {
            RuntimeException error = others.get(i - 1).join(); // syncOne returns its failure, never throws
            if (error != null) {
                failed.put(logs.get(i), error);
            }
        }
        return failed;
    }

    private RuntimeException syncOne(Log log, PublishedOffsets upTo) {
        try {
            syncer.sync(log, upTo.highWatermark());
            return null;
        } catch (RuntimeException e) {
            // The data may be written but is not known to be durable: this log's acknowledgements fail.
            return storageError(log, e);
        }
    }

    private static RuntimeException storageError(Log log, RuntimeException e) {
        return e instanceof KafkaStorageException
                ? e
                : new KafkaStorageException("Syncing " + log.topicPartition() + " failed: " + e, e);
    }

    static void complete(AppendCallback callback, LogAppendInfo result, RuntimeException error) {
        try {
            callback.onComplete(result, error);
        } catch (Throwable e) {
            // A callback's bug, an Error included, must not stop the acknowledgements of the others in the group:
            // a request left unanswered would hold its producer's buffer for good.
            LOG.error("Append callback failed", e);
        }
    }

    /** Syncs and completes everything handed over, then stops the thread. Call after the append thread stopped. */
    @Override
    public void close() {
        lock.lock();
        try {
            closed = true;
            work.signal();
            space.signalAll();
        } finally {
            lock.unlock();
        }
        boolean interrupted = false;
        while (true) {
            try {
                thread.join();
                break;
            } catch (InterruptedException e) {
                interrupted = true; // keep waiting: the acknowledgements must complete
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
