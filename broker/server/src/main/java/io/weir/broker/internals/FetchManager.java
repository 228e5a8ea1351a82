package io.weir.broker.internals;

import io.weir.broker.internals.log.AbortedTxn;
import io.weir.broker.internals.log.FetchDataInfo;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.log.ReadMode;
import io.weir.broker.internals.write.HighWatermarkListener;
import io.weir.broker.network.internals.FileFetch;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.record.FileBatches;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Serves fetches, holding back those that find fewer than {@code minBytes} until an append brings enough or
 * their {@code maxWaitMs} runs out (Kafka's delayed fetch). No thread sleeps or polls: a waiting fetch is
 * registered on each of its partitions; the append thread, after publishing a new high watermark, calls
 * {@link #onHighWatermarkAdvanced}, which schedules a re-read on the fetch executor, off the append thread.
 *
 * <p>Under read_committed a partition returns only the batches that start below its last stable offset, with
 * the transactions aborted among them, and only those bytes count towards {@code minBytes}: a waiting
 * read_committed fetch is woken like any other when a marker is appended (a marker moves the high watermark
 * too) and then finds the bytes the marker made stable. The last stable offset is answered under both
 * isolation levels.
 *
 * <p>A fetch registers first and re-reads once after registering, so an append that lands between the first
 * read and the registration is not missed. Completion is idempotent: the first of "enough bytes",
 * "deadline" and "broker closing" wins.
 *
 * <p>When the log directory goes offline, every waiting fetch is re-read at once (on the executor, like an
 * append's wake-up): its partitions now answer KAFKA_STORAGE_ERROR, so it completes then rather than at its
 * {@code maxWaitMs}. A fetch registering meanwhile still does its own re-read after registering.
 *
 * <p>{@link #fetchToFile} is the same fetch for the network listener, with the batches left in the segment files
 * where the isolation level allows ({@link ReadMode#FILE_SLICE}); its bytes count towards {@code minBytes} alike.
 *
 * <p>Every read runs on the fetch executor, never on the caller's thread: {@code FileChannel} reads are
 * interruptible, and an interrupted reader would close the segment's channel for everyone. The timer only
 * hands expiries to the executor.
 */
public final class FetchManager implements HighWatermarkListener {
    private final LogManager logManager;
    private final Executor executor;
    private final ScheduledExecutorService timer;
    private final Map<TopicPartition, Set<DelayedFetch>> watchers = new ConcurrentHashMap<>();
    private volatile boolean closed;

    public FetchManager(LogManager logManager, Executor executor, ScheduledExecutorService timer) {
        this.logManager = logManager;
        this.executor = executor;
        this.timer = timer;
        logManager.dirContext().failures().onOffline(this::onLogDirOffline);
    }

    public CompletableFuture<FetchResponse> fetch(FetchRequest request) {
        return fetch(request, ReadBuffers.HEAP);
    }

    /** {@link #fetch(FetchRequest)}, reading into buffers lent by the caller (see {@link ReadBuffers}). */
    public CompletableFuture<FetchResponse> fetch(FetchRequest request, ReadBuffers buffers) {
        return fetch(request, ReadMode.COPY, buffers).thenApply(FileFetch.Fetched::response);
    }

    /**
     * {@link #fetch}, leaving the batches in the segment files where the isolation level allows (see
     * {@link ReadMode#FILE_SLICE}); for the network listener, which sends them with {@code sendfile}.
     */
    public CompletableFuture<FileFetch.Fetched> fetchToFile(FetchRequest request) {
        return fetch(request, ReadMode.FILE_SLICE, ReadBuffers.HEAP);
    }

    private CompletableFuture<FileFetch.Fetched> fetch(FetchRequest request, ReadMode mode, ReadBuffers buffers) {
        CompletableFuture<FileFetch.Fetched> result = new CompletableFuture<>();
        executor.execute(() -> {
            try {
                start(request, mode, buffers, result);
            } catch (RuntimeException e) {
                result.completeExceptionally(e);
            }
        });
        return result;
    }

    private void start(
            FetchRequest request, ReadMode mode, ReadBuffers buffers, CompletableFuture<FileFetch.Fetched> result) {
        ReadOutcome first = readAll(request, mode, buffers);
        if (request.maxWaitMs() <= 0
                || first.bytes >= request.minBytes()
                || first.hasError
                || request.partitions().isEmpty()
                || closed) {
            result.complete(first.fetched);
            return;
        }
        first.discard(buffers);
        DelayedFetch delayed = new DelayedFetch(request, mode, buffers, result);
        for (TopicPartition tp : request.partitions().keySet()) {
            watchers.computeIfAbsent(tp, k -> ConcurrentHashMap.newKeySet()).add(delayed);
        }
        try {
            delayed.timeout =
                    timer.schedule(() -> executor.execute(delayed::expire), request.maxWaitMs(), TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
            delayed.expire();
            return;
        }
        if (closed) {
            delayed.expire(); // closing raced with the registration: completeAll may have missed this one
            return;
        }
        delayed.check();
    }

    @Override
    public void onHighWatermarkAdvanced(TopicPartition tp) {
        Set<DelayedFetch> waiting = watchers.get(tp);
        if (waiting == null || waiting.isEmpty()) {
            return;
        }
        for (DelayedFetch fetch : waiting) {
            fetch.scheduleCheck();
        }
    }

    /** Every partition this manager serves is in the directory that went offline: all waiting fetches re-read. */
    private void onLogDirOffline() {
        for (Set<DelayedFetch> waiting : watchers.values()) {
            for (DelayedFetch fetch : waiting) {
                fetch.scheduleCheck();
            }
        }
    }

    /** Completes every waiting fetch with what is there now, and every later one at once; used when the broker closes. */
    public void completeAll() {
        closed = true;
        for (Set<DelayedFetch> set : watchers.values()) {
            for (DelayedFetch fetch : set) {
                fetch.expire();
            }
        }
    }

    private record ReadOutcome(FileFetch.Fetched fetched, long bytes, boolean hasError) {
        /** This read is dropped unseen: its lent buffers go back to their lender, to be lent again. */
        void discard(ReadBuffers buffers) {
            for (FetchResponse.PartitionData data :
                    fetched.response().partitions().values()) {
                buffers.discard(data.records());
            }
        }
    }

    private ReadOutcome readAll(FetchRequest request, ReadMode mode, ReadBuffers buffers) {
        Map<TopicPartition, FetchResponse.PartitionData> out = new LinkedHashMap<>();
        Map<TopicPartition, FileBatches> onDisk = mode == ReadMode.COPY ? Map.of() : new HashMap<>();
        int remaining = request.maxBytes();
        long total = 0;
        boolean hasError = false;
        for (Map.Entry<TopicPartition, FetchRequest.PartitionFetch> entry :
                request.partitions().entrySet()) {
            TopicPartition tp = entry.getKey();
            FetchRequest.PartitionFetch wanted = entry.getValue();
            try {
                Log log = logManager.log(tp);
                int limit = Math.min(wanted.maxBytes(), Math.max(remaining, 0));
                // Only the first partition with data may exceed the limits, so an oversized batch still moves.
                FetchDataInfo data;
                List<FetchResponse.AbortedTransaction> aborted;
                long generation;
                while (true) {
                    // The batches and their aborted transactions must come from the same segments: a cleaner
                    // swap in between could drop an ABORT marker's entry the returned bytes still need.
                    generation = log.swapGeneration();
                    data = log.read(wanted.fetchOffset(), limit, total == 0, request.isolationLevel(), mode, buffers);
                    aborted = abortedTransactions(log, request.isolationLevel(), wanted.fetchOffset(), data);
                    if (!log.swappedSince(generation)) {
                        break;
                    }
                    buffers.discard(data.batches());
                }
                ByteBuffer batches = data.batches();
                if (data.onDisk() != null) {
                    onDisk.put(tp, data.onDisk());
                }
                total += data.sizeInBytes();
                remaining -= data.sizeInBytes();
                out.put(
                        tp,
                        new FetchResponse.PartitionData(
                                ApiError.NONE,
                                data.highWatermark(),
                                data.lastStableOffset(),
                                data.logStartOffset(),
                                batches,
                                aborted));
            } catch (WeirException e) {
                hasError = true;
                out.put(tp, FetchResponse.PartitionData.error(ApiError.of(e)));
            }
        }
        return new ReadOutcome(new FileFetch.Fetched(new FetchResponse(out), onDisk), total, hasError);
    }

    /**
     * Under read_committed, the transactions aborted within the returned batches, which the reader skips
     * (Kafka lists them from the fetch offset to the end of the last batch returned).
     */
    private static List<FetchResponse.AbortedTransaction> abortedTransactions(
            Log log, IsolationLevel isolation, long fetchOffset, FetchDataInfo data) {
        if (isolation != IsolationLevel.READ_COMMITTED || data.sizeInBytes() == 0) {
            return List.of();
        }
        long upperBound = fetchOffset;
        if (data.onDisk() != null) {
            upperBound = data.onDisk().nextOffset();
        } else {
            for (Iterator<RecordBatch> it =
                            RecordBatches.iterator(data.batches().duplicate());
                    it.hasNext(); ) {
                upperBound = it.next().nextOffset();
            }
        }
        List<FetchResponse.AbortedTransaction> aborted = new ArrayList<>();
        for (AbortedTxn txn : log.abortedTransactions(fetchOffset, upperBound)) {
            aborted.add(new FetchResponse.AbortedTransaction(txn.producerId(), txn.firstOffset()));
        }
        return aborted;
    }

    private final class DelayedFetch {
        final FetchRequest request;
        final ReadMode mode;
        /** A read whose outcome is discarded (too few bytes yet, or done already) gives its buffers back. */
        final ReadBuffers buffers;

        final CompletableFuture<FileFetch.Fetched> future;
        final AtomicBoolean done = new AtomicBoolean();
        final AtomicBoolean checkQueued = new AtomicBoolean();
        volatile ScheduledFuture<?> timeout;

        DelayedFetch(
                FetchRequest request, ReadMode mode, ReadBuffers buffers, CompletableFuture<FileFetch.Fetched> future) {
            this.request = request;
            this.mode = mode;
            this.buffers = buffers;
            this.future = future;
        }

        /** Queues one re-read; appends arriving while one is queued share it. */
        void scheduleCheck() {
            if (!done.get() && checkQueued.compareAndSet(false, true)) {
                try {
                    executor.execute(this::check);
                } catch (java.util.concurrent.RejectedExecutionException shuttingDown) {
                    checkQueued.set(false); // completeAll answers it
                }
            }
        }

        private void check() {
            // Cleared before reading, so an append during the read queues another check.
            checkQueued.set(false);
            if (done.get()) {
                return;
            }
            ReadOutcome outcome = readAll(request, mode, buffers);
            if (outcome.bytes >= request.minBytes() || outcome.hasError) {
                complete(outcome);
            } else {
                outcome.discard(buffers); // a long poll may re-read many times: no fresh arrays each time
            }
        }

        void expire() {
            if (!done.get()) {
                complete(readAll(request, mode, buffers));
            }
        }

        private void complete(ReadOutcome outcome) {
            if (!done.compareAndSet(false, true)) {
                outcome.discard(buffers); // answered already by another check or the timeout
                return;
            }
            for (TopicPartition tp : request.partitions().keySet()) {
                Set<DelayedFetch> set = watchers.get(tp);
                if (set != null) {
                    set.remove(this);
                }
            }
            ScheduledFuture<?> t = timeout;
            if (t != null) {
                t.cancel(false);
            }
            future.complete(outcome.fetched);
        }
    }
}
