package io.weir.broker.client.internals;

import io.weir.broker.IsolationLevel;
import io.weir.broker.TopicPartition;
import io.weir.broker.protocol.FetchResponse;
import io.weir.broker.record.ControlRecordType;
import io.weir.broker.record.Record;
import io.weir.broker.record.RecordBatch;
import io.weir.broker.record.RecordBatches;
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
 * {@link #nextFetchOffset()} moves past everything read or skipped, so the position never stalls on them.
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
    private Iterator<Record> records;
    private long nextFetchOffset;

    CompletedFetch(TopicPartition partition, long fetchOffset, FetchResponse.PartitionData data,
                   IsolationLevel isolation, boolean checkCrcs) {
        this.partition = partition;
        this.fetchOffset = fetchOffset;
        this.data = data;
        this.nextFetchOffset = fetchOffset;
        this.checkCrcs = checkCrcs;
        this.batches = data.records() == null ? Collections.emptyIterator() : RecordBatches.iterator(data.records());
        if (isolation == IsolationLevel.READ_COMMITTED && data.abortedTransactions() != null
                && !data.abortedTransactions().isEmpty()) {
            abortedTransactions = new PriorityQueue<>(
                    (a, b) -> Long.compare(a.firstOffset(), b.firstOffset()));
            abortedTransactions.addAll(data.abortedTransactions());
        } else {
            abortedTransactions = null;
        }
    }

    /** The next record at or after the position, or null when this fetch is used up. */
    Record next() {
        while (true) {
            if (records != null && records.hasNext()) {
                Record r = records.next();
                if (r.offset() < nextFetchOffset) {
                    continue; // before the position: the broker returned the whole batch
                }
                nextFetchOffset = r.offset() + 1;
                return r;
            }
            if (currentBatch != null) {
                // Past every record of the batch, including ones compaction removed from its middle or end.
                nextFetchOffset = Math.max(nextFetchOffset, currentBatch.nextOffset());
                currentBatch = null;
                records = null;
            }
            if (!batches.hasNext()) {
                return null;
            }
            RecordBatch batch = batches.next();
            if (batch.nextOffset() <= nextFetchOffset) {
                continue; // wholly before the position
            }
            if (checkCrcs) {
                batch.ensureValid();
            }
            if (abortedTransactions != null) {
                while (!abortedTransactions.isEmpty() && abortedTransactions.peek().firstOffset() <= batch.lastOffset()) {
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
            if (abortedTransactions != null && batch.isTransactional() && abortedProducers.contains(batch.producerId())) {
                nextFetchOffset = Math.max(nextFetchOffset, batch.nextOffset());
                continue;
            }
            currentBatch = batch;
            records = batch.records();
        }
    }

    boolean isLogAppendTime() {
        return currentBatch != null && currentBatch.isLogAppendTime();
    }

    /** The position after everything this fetch returned or skipped so far. */
    long nextFetchOffset() {
        return nextFetchOffset;
    }
}
