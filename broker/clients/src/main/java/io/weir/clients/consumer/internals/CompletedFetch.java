package io.weir.clients.consumer.internals;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatches;
import io.weir.common.record.RecordCursor;
import java.util.Collections;
import java.util.HashSet;
import java.util.Iterator;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * One partition's data from one fetch answer, read lazily record by record so {@code max.poll.records} can
 * stop anywhere and the next poll resumes where this one stopped.
 *
 * <p>It hides from the caller what a consumer must never return: records before the position (the broker
 * returns whole batches), control batches (transaction markers) and, under {@code read_committed}, batches of
 * aborted transactions — found, as in Kafka, from the answer's aborted-transaction list: a transactional batch
 * of producer P is skipped from the aborted transaction's first offset until P's ABORT marker.
 * {@link #nextFetchOffset()} moves past everything consumed or skipped, so the position never stalls on them.
 *
 * <p>A record is handed out by {@link #peek()}, as the fetch's one {@link RecordCursor} standing on it (no object per
 * record), and passed only by {@link #consume()}, which the consumer calls once the record converted: a record whose key or value fails to deserialize stays next, so every poll
 * fails at it until the caller seeks past it. Bytes that cannot be read (a CRC mismatch, a malformed batch)
 * fail the same way: the failure is kept and thrown again, since the walk cannot continue past them.
 *
 * <p>Memory: the records' bytes may lie in an array lent from the consumer's {@link ReadBufferPool}; then this fetch
 * owns it until {@link #release()}, which the fetcher calls once the fetch is used up or dropped — by then every
 * record handed out was turned into the consumer's own objects (the fetcher pools only with deserializers that copy
 * the bytes), and nothing here is read again.
 *
 * <p>Confined to the consumer's thread.
 */
final class CompletedFetch {
    final TopicPartition partition;
    final long fetchOffset;
    final FetchResponse.PartitionData data;
    private final Iterator<RecordBatch> batches;
    private final boolean checkCrcs;
    private final PriorityQueue<FetchResponse.AbortedTransaction> abortedTransactions;
    private final Set<Long> abortedProducers = new HashSet<>();
    private RecordBatch currentBatch;
    private RecordCursor records;
    private long nextFetchOffset;
    /** Whether {@code records} stands on a record handed out by {@link #peek()} and not yet consumed. */
    private boolean peeked;

    private CorruptRecordException corruption;
    /** The pooled array the records lie in, owned by this fetch until released; null if none. */
    private byte[] pooled;

    private final ReadBufferPool pool;
    private boolean released;

    CompletedFetch(
            TopicPartition partition,
            long fetchOffset,
            FetchResponse.PartitionData data,
            IsolationLevel isolation,
            boolean checkCrcs) {
        this(partition, fetchOffset, data, isolation, checkCrcs, null, null);
    }

    /** @param pooled the array of {@code pool} the records lie in, now this fetch's to give back; or null */
    CompletedFetch(
            TopicPartition partition,
            long fetchOffset,
            FetchResponse.PartitionData data,
            IsolationLevel isolation,
            boolean checkCrcs,
            byte[] pooled,
            ReadBufferPool pool) {
        this.partition = partition;
        this.pooled = pooled;
        this.pool = pool;
        this.fetchOffset = fetchOffset;
        this.data = data;
        this.nextFetchOffset = fetchOffset;
        this.checkCrcs = checkCrcs;
        this.batches = data.records() == null ? Collections.emptyIterator() : RecordBatches.iterator(data.records());
        if (isolation == IsolationLevel.READ_COMMITTED
                && data.abortedTransactions() != null
                && !data.abortedTransactions().isEmpty()) {
            abortedTransactions = new PriorityQueue<>((a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
            abortedTransactions.addAll(data.abortedTransactions());
        } else {
            abortedTransactions = null;
        }
    }

    /**
     * The next record at or after the position, or null when this fetch is used up. Returns the same record
     * until {@link #consume()} is called.
     *
     * @throws CorruptRecordException naming the partition and the position, on this and every later call, if
     *         the bytes at the position cannot be read
     */
    RecordCursor peek() {
        if (released) {
            throw new IllegalStateException("The fetch of " + partition + " was read after its buffer was released");
        }
        if (corruption != null) {
            throw corruption;
        }
        if (!peeked) {
            try {
                peeked = nextRecord();
            } catch (RuntimeException e) {
                corruption = new CorruptRecordException(
                        "Cannot read the fetched data of partition " + partition
                                + " at offset " + nextFetchOffset + " (" + e.getMessage()
                                + "). If needed, please seek past"
                                + " the bad record batch to continue consumption.",
                        e);
                throw corruption;
            }
        }
        return peeked ? records : null;
    }

    /** Moves the position past the record {@link #peek()} returned. */
    void consume() {
        if (!peeked) {
            throw new IllegalStateException("consume() without a peeked record in the fetch of " + partition);
        }
        nextFetchOffset = records.offset() + 1;
        peeked = false;
    }

    /** Moves the cursor to the next record to hand out: true, or false when this fetch is used up. */
    private boolean nextRecord() {
        while (true) {
            if (records != null && records.advance()) {
                if (records.offset() < nextFetchOffset) {
                    continue; // before the position: the broker returned the whole batch
                }
                return true;
            }
            if (currentBatch != null) {
                // Past every record of the batch, including ones compaction removed from its middle or end.
                nextFetchOffset = Math.max(nextFetchOffset, currentBatch.nextOffset());
                currentBatch = null;
                records = null;
            }
            if (!batches.hasNext()) {
                return false;
            }
            RecordBatch batch = batches.next();
            if (batch.nextOffset() <= nextFetchOffset) {
                continue; // wholly before the position
            }
            if (checkCrcs) {
                batch.ensureValid();
            }
            if (abortedTransactions != null) {
                while (!abortedTransactions.isEmpty()
                        && abortedTransactions.peek().firstOffset() <= batch.lastOffset()) {
                    abortedProducers.add(abortedTransactions.poll().producerId());
                }
            }
            if (batch.isControl()) {
                if (abortedTransactions != null && batch.controlType() == ControlRecordType.ABORT) {
                    abortedProducers.remove(batch.producerId());
                }
                nextFetchOffset = Math.max(nextFetchOffset, batch.nextOffset());
                continue;
            }
            if (abortedTransactions != null
                    && batch.isTransactional()
                    && abortedProducers.contains(batch.producerId())) {
                nextFetchOffset = Math.max(nextFetchOffset, batch.nextOffset());
                continue;
            }
            currentBatch = batch;
            records = batch.cursor();
        }
    }

    boolean isLogAppendTime() {
        return currentBatch != null && currentBatch.isLogAppendTime();
    }

    /**
     * Done with: gives the pooled array back, if any. The fetcher calls it once it drops this fetch (used up, or its
     * partition seeked, reset, paused past or unassigned); nothing may read the fetch afterwards. Idempotent.
     */
    void release() {
        released = true;
        peeked = false;
        records = null;
        currentBatch = null;
        if (pooled != null) {
            byte[] array = pooled;
            pooled = null;
            pool.give(array);
        }
    }

    /** The position after everything this fetch consumed or skipped so far. */
    long nextFetchOffset() {
        return nextFetchOffset;
    }
}
