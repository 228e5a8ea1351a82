package io.weir.broker.internals.txn;

import io.weir.broker.internals.group.OffsetsTopicStore;
import io.weir.broker.internals.group.TxnOffsetCommits;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InvalidRequestException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.errors.WeirException;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.TransactionResult;
import io.weir.transactions.coordinator.TransactionMarkers;
import io.weir.transactions.coordinator.WriteCallback;
import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

/**
 * Writes transaction markers: control batches ({@link RecordBatchBuilder#controlBatch}) appended through the
 * append rings with origin COORDINATOR, for the coordinator ({@link TransactionMarkers}) and for
 * WriteTxnMarkers (an administrator aborting a hanging transaction). The coordinator is a single broker, so
 * its markers carry coordinator epoch 0.
 *
 * <p>A marker on a partition of {@code __consumer_offsets} also decides the producer's pending transactional
 * offsets there ({@link TxnOffsetCommits#onMarker}), in the append's completion: on the partition's append
 * thread, right after the marker is durable and in log order with the offsets it covers.
 *
 * <p>Thread-safe; completions of the coordinator's requests are handed to its thread.
 */
final class TxnMarkerWriter implements TransactionMarkers {
    static final int COORDINATOR_EPOCH = 0;

    private final LogManager logManager;
    private final AppendRings rings;
    private final Time time;
    private final TxnOffsetCommits txnOffsets;
    private final long appendTimeoutMs;
    private final CoordinatorThread coordinatorThread;

    TxnMarkerWriter(
            LogManager logManager,
            AppendRings rings,
            Time time,
            TxnOffsetCommits txnOffsets,
            long appendTimeoutMs,
            CoordinatorThread coordinatorThread) {
        this.logManager = logManager;
        this.rings = rings;
        this.time = time;
        this.txnOffsets = txnOffsets;
        this.appendTimeoutMs = appendTimeoutMs;
        this.coordinatorThread = coordinatorThread;
    }

    /**
     * Appends one marker to {@code tp}; {@code done} gets null once it is durable, else the error. It runs on
     * the partition's append thread, or at once on this thread when the marker is refused before the ring.
     */
    void append(
            TopicPartition tp,
            long producerId,
            short producerEpoch,
            TransactionResult result,
            int coordinatorEpoch,
            Consumer<RuntimeException> done) {
        Log log;
        ByteBuffer marker;
        try {
            log = logManager.log(tp);
            marker = RecordBatchBuilder.controlBatch(
                    result == TransactionResult.COMMIT ? ControlRecordType.COMMIT : ControlRecordType.ABORT,
                    producerId,
                    producerEpoch,
                    time.milliseconds(),
                    coordinatorEpoch);
        } catch (IllegalArgumentException e) {
            done.accept(new InvalidRequestException("Cannot write a " + result + " marker for producer " + producerId
                    + " epoch " + producerEpoch + " to " + tp + ": " + e.getMessage()));
            return;
        } catch (WeirException e) {
            done.accept(e);
            return;
        }
        try {
            rings.append(
                    log,
                    marker,
                    AppendOrigin.COORDINATOR,
                    (info, error) -> {
                        if (error == null && tp.topic().equals(OffsetsTopicStore.TOPIC)) {
                            txnOffsets.onMarker(tp, producerId, result);
                        }
                        done.accept(error);
                    },
                    appendTimeoutMs);
        } catch (WeirException e) {
            done.accept(e);
        }
    }

    /**
     * Writes the markers of a prepared transaction. A partition that no longer exists is skipped: a deleted
     * topic holds no batch to end. The first other failure is reported once every append has answered.
     */
    @Override
    public void write(Request request, WriteCallback done) {
        if (request.partitions().isEmpty()) {
            coordinatorThread.callBack(done, null);
            return;
        }
        AtomicInteger outstanding = new AtomicInteger(request.partitions().size());
        AtomicReference<RuntimeException> firstFailure = new AtomicReference<>();
        for (TopicPartition p : request.partitions()) {
            append(p, request.producerId(), request.producerEpoch(), request.result(), COORDINATOR_EPOCH, error -> {
                if (error != null && !(error instanceof UnknownTopicOrPartitionException)) {
                    firstFailure.compareAndSet(null, error);
                }
                if (outstanding.decrementAndGet() == 0) {
                    coordinatorThread.callBack(done, firstFailure.get());
                }
            });
        }
    }
}
