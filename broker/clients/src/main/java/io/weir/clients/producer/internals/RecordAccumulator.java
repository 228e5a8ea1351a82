package io.weir.clients.producer.internals;

import io.weir.clients.producer.Callback;
import io.weir.common.TopicPartition;
import io.weir.common.errors.IllegalClientStateException;
import io.weir.common.errors.InterruptException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.utils.Time;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Per-partition queues of {@link ProducerBatch}es between {@code send} and the sender thread.
 *
 * <p>Producer threads {@link #append} into the last batch of a partition's deque while holding that deque's
 * monitor — the only lock on the send path, and per partition, so threads sending to different partitions do
 * not contend. When the last batch has no room, the thread takes a buffer for a new batch from the
 * {@link BufferPool} <em>outside</em> the lock (it may block), then takes the lock again and appends, since
 * another thread may have opened a batch meanwhile (the unused buffer then goes straight back).
 *
 * <p>The sender thread asks which partitions are {@link #ready} — the head batch is full, has lingered past
 * {@code linger.ms}, or a flush, close or memory shortage is waiting — and {@link #drain}s head batches into
 * a request. Only the sender drains, re-enqueues and expires, so a batch removed from a deque is owned by the
 * sender thread from then on. Batches not yet completed are tracked in {@code incomplete} for {@link #awaitFlush}.
 *
 * <p>Drains walk the partitions in {@code drainOrder}, the order their deques were created, starting where the
 * previous drain stopped (Kafka's {@code drainIndex}): when more partitions are ready than fit in one request,
 * the ones left out go first next time instead of waiting behind the same busy partitions forever.
 *
 * <p>A {@link DrainGate} may hold a partition's head back (an idempotent producer without a producer id yet,
 * a retry that must wait for earlier sequences, a partition not yet added to the transaction) and stamps each
 * batch it lets through. Re-enqueued batches that carry sequences go back in sequence order, ahead of the
 * partition's unsequenced batches.
 */
final class RecordAccumulator {

    /** Sender thread: decides whether a partition's head batch may be drained now, and stamps it once taken. */
    interface DrainGate {
        /** Lets every batch through unstamped: a producer without idempotence. */
        DrainGate OPEN = new DrainGate() {
            @Override
            public boolean mayDrain(ProducerBatch head) {
                return true;
            }

            @Override
            public void onDrained(ProducerBatch batch) {}
        };

        /** Called under the partition's deque lock: must not block or touch other deques. */
        boolean mayDrain(ProducerBatch head);

        /** Called once the batch left its deque and before its bytes are read. */
        void onDrained(ProducerBatch batch);
    }

    /** The partitions with a sendable head batch, and how long until the next one might become sendable. */
    record ReadyCheck(List<TopicPartition> partitions, long nextCheckDelayNanos) {}

    private final CompressionType compression;
    private final int batchSize;
    private final long lingerNanos;
    private final long retryBackoffNanos;
    private final long deliveryTimeoutNanos;
    private final BufferPool pool;
    private final ThunkArrays thunkArrays;
    private final Time time;
    private final ConcurrentHashMap<TopicPartition, ArrayDeque<ProducerBatch>> batches = new ConcurrentHashMap<>();
    /** Every key of {@code batches}, in creation order; only appended to, so an index stays meaningful. */
    private final CopyOnWriteArrayList<TopicPartition> drainOrder = new CopyOnWriteArrayList<>();

    private final Set<ProducerBatch> incomplete =
            Collections.newSetFromMap(Collections.synchronizedMap(new IdentityHashMap<>()));
    private final AtomicInteger flushesInProgress = new AtomicInteger();
    private final AtomicInteger appendsInProgress = new AtomicInteger();
    private volatile boolean closed;
    /** Where in {@code drainOrder} the next drain starts; sender thread only. */
    private int drainIndex;

    RecordAccumulator(
            CompressionType compression,
            int batchSize,
            long lingerMs,
            long retryBackoffMs,
            long deliveryTimeoutMs,
            BufferPool pool,
            Time time) {
        this.compression = compression;
        this.batchSize = batchSize;
        this.lingerNanos = TimeUnit.MILLISECONDS.toNanos(lingerMs);
        this.retryBackoffNanos = TimeUnit.MILLISECONDS.toNanos(retryBackoffMs);
        this.deliveryTimeoutNanos = TimeUnit.MILLISECONDS.toNanos(deliveryTimeoutMs);
        this.pool = pool;
        this.thunkArrays =
                new ThunkArrays((int) Math.min(4096, Math.max(1, pool.totalMemory() / Math.max(1, batchSize))));
        this.time = time;
    }

    /**
     * Appends one serialized record to its partition's open batch. The future also carries the append's outcome
     * for the caller ({@link FutureRecordMetadata#newBatchCreated()}, {@link FutureRecordMetadata#batchIsFull()}),
     * so an append allocates nothing but the future.
     *
     * @param sizeLimit the most bytes a batch of this partition may hold (batch.size, lowered to the topic's
     *                  max.message.bytes); a record larger than it gets a batch of its own
     * @param recordUpperBound the record's size as a one-record batch, which {@code buffer.memory} must cover
     * @throws io.weir.common.errors.TimeoutException if buffer memory stays short for {@code maxBlockMs}
     * @throws IllegalClientStateException if the producer is closing
     */
    FutureRecordMetadata append(
            TopicPartition tp,
            long timestamp,
            byte[] key,
            byte[] value,
            Header[] headers,
            Callback callback,
            long maxBlockMs,
            int sizeLimit,
            int recordUpperBound) {
        // Counted so close() knows when no thread can still slip a record into a deque it already drained.
        appendsInProgress.incrementAndGet();
        try {
            ArrayDeque<ProducerBatch> dq = deque(tp);
            synchronized (dq) {
                ensureOpen();
                FutureRecordMetadata appended = tryAppend(dq, timestamp, key, value, headers, callback);
                if (appended != null) {
                    return appended;
                }
            }
            ByteBuffer buffer = pool.allocate(Math.max(sizeLimit, recordUpperBound), maxBlockMs);
            boolean bufferUsed = false;
            try {
                synchronized (dq) {
                    ensureOpen();
                    FutureRecordMetadata appended = tryAppend(dq, timestamp, key, value, headers, callback);
                    if (appended != null) {
                        return appended;
                    }
                    ProducerBatch batch =
                            new ProducerBatch(tp, compression, sizeLimit, buffer, thunkArrays, time.nanoseconds());
                    FutureRecordMetadata future = batch.tryAppend(timestamp, key, value, headers, callback);
                    dq.addLast(batch);
                    incomplete.add(batch);
                    bufferUsed = true;
                    return future.withAppendFlags(true, batch.isFull());
                }
            } finally {
                if (!bufferUsed) {
                    pool.deallocate(buffer); // never written: another thread opened a batch meanwhile
                }
            }
        } finally {
            appendsInProgress.decrementAndGet();
        }
    }

    private ArrayDeque<ProducerBatch> deque(TopicPartition tp) {
        ArrayDeque<ProducerBatch> dq = batches.get(tp);
        if (dq != null) {
            return dq; // the common case, without the capturing lambda computeIfAbsent would need on every send
        }
        // Listed inside the mapping function, so a partition is in drainOrder before any thread can see its deque.
        return batches.computeIfAbsent(tp, k -> {
            drainOrder.add(k);
            return new ArrayDeque<>();
        });
    }

    private static FutureRecordMetadata tryAppend(
            ArrayDeque<ProducerBatch> dq,
            long timestamp,
            byte[] key,
            byte[] value,
            Header[] headers,
            Callback callback) {
        ProducerBatch last = dq.peekLast();
        if (last == null) {
            return null;
        }
        FutureRecordMetadata future = last.tryAppend(timestamp, key, value, headers, callback);
        return future == null ? null : future.withAppendFlags(false, last.isFull());
    }

    private void ensureOpen() {
        if (closed) {
            throw new IllegalClientStateException("Cannot send after the producer is closed");
        }
    }

    /** Sender thread: which partitions have a head batch that should go now. */
    ReadyCheck ready(long nowNanos) {
        boolean exhausted = pool.waiters() > 0;
        boolean urgent = closed || flushesInProgress.get() > 0 || exhausted;
        List<TopicPartition> ready = new ArrayList<>();
        long nextCheck = Long.MAX_VALUE;
        for (int i = 0, n = drainOrder.size(); i < n; i++) {
            TopicPartition tp = drainOrder.get(i);
            ArrayDeque<ProducerBatch> dq = batches.get(tp);
            if (dq == null) {
                continue; // listed an instant before its deque is published
            }
            synchronized (dq) {
                ProducerBatch head = dq.peekFirst();
                if (head == null) {
                    continue;
                }
                boolean backingOff = head.attempts > 0 && nowNanos - head.lastAttemptNanos < retryBackoffNanos;
                long waitNanos = backingOff ? retryBackoffNanos : lingerNanos;
                long waited = nowNanos - head.lastAttemptNanos;
                boolean full = dq.size() > 1 || head.isFull();
                if (!backingOff && (full || urgent || waited >= waitNanos)) {
                    ready.add(tp);
                } else {
                    nextCheck = Math.min(nextCheck, waitNanos - waited);
                }
            }
        }
        return new ReadyCheck(ready, nextCheck);
    }

    /**
     * Sender thread: removes the head batch of each ready partition, one per partition, until the request
     * would pass {@code maxRequestSize} (the first batch always goes, so an oversized one still makes progress).
     * Starts where the previous drain stopped, so every ready partition is served within a few drains.
     * A partition whose head the gate holds back is skipped.
     */
    Map<TopicPartition, ProducerBatch> drain(
            List<TopicPartition> ready, int maxRequestSize, long nowNanos, DrainGate gate) {
        Map<TopicPartition, ProducerBatch> drained = new LinkedHashMap<>();
        // drainOrder only grows, so indexes below a size read once stay valid while producers add partitions.
        int partitions = drainOrder.size();
        if (ready.isEmpty() || partitions == 0) {
            return drained;
        }
        Set<TopicPartition> readySet = new HashSet<>(ready);
        int start = drainIndex % partitions;
        int size = 0;
        for (int i = 0; i < partitions; i++) {
            int index = (start + i) % partitions;
            TopicPartition tp = drainOrder.get(index);
            if (!readySet.contains(tp)) {
                continue;
            }
            ArrayDeque<ProducerBatch> dq = batches.get(tp);
            ProducerBatch batch;
            synchronized (dq) {
                batch = dq.peekFirst();
                if (batch == null || !gate.mayDrain(batch)) {
                    continue;
                }
                if (!drained.isEmpty() && size + batch.buffer.capacity() > maxRequestSize) {
                    drainIndex = index; // the request is full: this partition leads the next one
                    return drained;
                }
                dq.pollFirst();
            }
            drainIndex = index + 1;
            gate.onDrained(batch);
            // Built outside the lock: compression may be slow, and no other thread can reach the batch now.
            size += batch.bytes().remaining();
            batch.attempts++;
            batch.lastAttemptNanos = nowNanos;
            drained.put(tp, batch);
        }
        return drained;
    }

    /**
     * Sender thread: puts a batch that failed retriably back at the head of its partition, to go after the
     * backoff. A batch with a sequence goes behind the re-enqueued batches with earlier sequences, so retries
     * leave in sequence order whatever order their answers came in.
     */
    void reenqueue(ProducerBatch batch, long nowNanos) {
        batch.lastAttemptNanos = nowNanos;
        ArrayDeque<ProducerBatch> dq = deque(batch.partition);
        synchronized (dq) {
            if (batch.sequenceOrder() < 0) {
                dq.addFirst(batch);
                return;
            }
            ArrayDeque<ProducerBatch> earlier = new ArrayDeque<>();
            while (!dq.isEmpty()
                    && dq.peekFirst().sequenceOrder() >= 0
                    && dq.peekFirst().sequenceOrder() < batch.sequenceOrder()) {
                earlier.addLast(dq.pollFirst());
            }
            dq.addFirst(batch);
            while (!earlier.isEmpty()) {
                dq.addFirst(earlier.pollLast());
            }
        }
    }

    /** Sender thread: removes batches that sat unsent past delivery.timeout.ms; the caller fails them. */
    List<ProducerBatch> expired(long nowNanos) {
        List<ProducerBatch> expired = null;
        // Indexed, not iterated: this runs on every pass of the sender loop, and an iterator is garbage each time.
        for (int i = 0, n = drainOrder.size(); i < n; i++) {
            ArrayDeque<ProducerBatch> dq = batches.get(drainOrder.get(i));
            if (dq == null) {
                continue; // listed an instant before its deque is published
            }
            synchronized (dq) {
                // Batches of a deque were created in order (a re-enqueued one is older still), so stop at the first
                // young one.
                while (!dq.isEmpty() && dq.peekFirst().hasReachedDeliveryTimeout(nowNanos, deliveryTimeoutNanos)) {
                    if (expired == null) {
                        expired = new ArrayList<>();
                    }
                    expired.add(dq.pollFirst());
                }
            }
        }
        return expired == null ? List.of() : expired;
    }

    /** Sender thread: forgets a completed batch (its buffer may still be in a request; see {@link #returnBuffer}). */
    void completed(ProducerBatch batch) {
        incomplete.remove(batch);
    }

    /**
     * Sender thread: gives a completed batch's buffer back to the pool once, when no request carrying it awaits an
     * answer any more. {@code reusable} false (an {@code acks=0} batch: the broker answered before reading it)
     * returns only its bytes and leaves the buffer to the collector.
     */
    void returnBuffer(ProducerBatch batch, boolean reusable) {
        if (batch.bufferReturned) {
            return;
        }
        batch.bufferReturned = true;
        if (reusable) {
            pool.deallocate(batch.buffer);
        } else {
            pool.release(batch.buffer);
        }
    }

    void beginFlush() {
        flushesInProgress.incrementAndGet();
    }

    /** Blocks until every batch that existed when called has completed, then ends this flush. */
    void awaitFlush() {
        try {
            List<ProducerBatch> pending;
            synchronized (incomplete) {
                pending = new ArrayList<>(incomplete);
            }
            for (ProducerBatch batch : pending) {
                batch.result().await();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptException("Interrupted while flushing the producer", e);
        } finally {
            flushesInProgress.decrementAndGet();
        }
    }

    /** Refuses further appends; what is buffered becomes ready at once. */
    void close() {
        closed = true;
        // Taking each deque's monitor once orders this after any append that saw closed == false.
        for (ArrayDeque<ProducerBatch> dq : batches.values()) {
            synchronized (dq) {
                dq.size();
            }
        }
    }

    boolean hasUndrained() {
        for (ArrayDeque<ProducerBatch> dq : batches.values()) {
            synchronized (dq) {
                if (!dq.isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    boolean hasIncomplete() {
        return !incomplete.isEmpty();
    }

    boolean appendsInProgress() {
        return appendsInProgress.get() > 0;
    }

    /** Removes every batch not yet drained (a forced close); the caller fails them. */
    List<ProducerBatch> drainAllForAbort() {
        List<ProducerBatch> all = new ArrayList<>();
        for (ArrayDeque<ProducerBatch> dq : batches.values()) {
            synchronized (dq) {
                all.addAll(dq);
                dq.clear();
            }
        }
        return all;
    }

    BufferPool pool() {
        return pool;
    }
}
