package io.weir.broker.internals.write;

import com.lmax.disruptor.EventHandler;
import io.weir.broker.FlushPolicy;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.broker.internals.log.PublishedOffsets;
import io.weir.common.errors.KafkaStorageException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single append thread of one ring. For each event it appends the batches to their partition's log; at
 * the end of each Disruptor batch — everything that queued up while it was busy — it either completes the
 * batch itself (publishes the new high watermarks, completes the acknowledgements, wakes long-polling
 * fetchers) or, when the flush policy wants a sync of a log it touched, hands the whole batch to the ring's
 * {@link GroupCommitter}, which does the same after the sync, and goes on appending. No acknowledgement is
 * therefore sent for data the policy requires on disk before it is there, and the append thread never waits
 * for a sync.
 *
 * <p>A batch is completed here only while the committer has nothing outstanding, so that acknowledgements
 * of the ring complete in append order. Confined to the ring's thread; the Disruptor keeps the events of a
 * batch untouched until {@code onEvent} returns with {@code endOfBatch} true, and each is copied out and
 * cleared before then. Every request is answered exactly once, here, by the committer, or — if the end of a batch
 * fails — with a storage error; the batch's state is cleared either way.
 */
final class AppendHandler implements EventHandler<AppendEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AppendHandler.class);

    private final FlushPolicy flushPolicy;
    private final HighWatermarkListener listener;
    /** Null under the {@code os} policy, which never syncs on the write path. */
    private final GroupCommitter committer;

    /** The events of the current batch; the Disruptor leaves them untouched until the batch ends. */
    private final List<AppendEvent> pending = new ArrayList<>();
    /** Logs written in the current batch, each once, in first-touch order. */
    private final Map<Log, Boolean> touched = new IdentityHashMap<>();

    private final List<Log> touchedOrder = new ArrayList<>();

    AppendHandler(FlushPolicy flushPolicy, HighWatermarkListener listener, GroupCommitter committer) {
        this.flushPolicy = flushPolicy;
        this.listener = listener;
        this.committer = committer;
    }

    @Override
    public void onEvent(AppendEvent event, long sequence, boolean endOfBatch) {
        try {
            event.result = event.log.append(event.batches, event.origin);
            if (touched.put(event.log, Boolean.TRUE) == null) {
                touchedOrder.add(event.log);
            }
        } catch (RuntimeException e) {
            event.error = e;
        } catch (Throwable e) {
            // An Error (or a checked exception thrown sneakily) is this request's answer too: the event must join
            // the batch, or the Disruptor moves past a slot nobody answers and the end of the batch misses it.
            LOG.error("The append to " + event.log.topicPartition() + " failed", e);
            event.error = new KafkaStorageException("The append to " + event.log.topicPartition() + " failed: " + e, e);
        }
        pending.add(event);
        if (endOfBatch) {
            try {
                if (committer != null && (needsSync() || !committer.idle())) {
                    handOver();
                } else {
                    complete();
                }
            } catch (Throwable e) {
                failUnanswered(e);
                if (e instanceof Error error) {
                    throw error; // every request is answered; the ring's exception handler finds the slot cleared
                }
            } finally {
                // Always: the slots are the Disruptor's again once this returns, and a later batch must not find
                // them here (it would answer a request whose slot a publisher has refilled, before its append).
                pending.clear();
                touched.clear();
                touchedOrder.clear();
            }
        }
    }

    /** Copies the batch out of the ring's slots (they are reused once this returns) for the committer. */
    private void handOver() {
        List<GroupCommitter.Ack> acks = new ArrayList<>(pending.size());
        for (AppendEvent event : pending) {
            acks.add(new GroupCommitter.Ack(event.log, event.callback, event.result, event.error));
        }
        Map<Log, PublishedOffsets> offsets = new LinkedHashMap<>();
        for (Log log : touchedOrder) {
            offsets.put(log, log.offsetsToPublish());
        }
        committer.handOver(new GroupCommitter.RingBatch(acks, offsets));
        // Cleared only once the committer holds the acknowledgements: until then a failure answers them here.
        for (AppendEvent event : pending) {
            event.clear();
        }
    }

    /**
     * A bug past the appends (publishing offsets, a listener, the hand-over): answers every request of the batch not
     * answered yet with a storage error instead of leaving it waiting for ever — its client holds the batch's buffer
     * until the answer — and leaves the ring running. The records may be in the log; a producer's retry finds an
     * idempotent one's batch a duplicate. A request whose own append failed keeps its error (an invalid epoch, an
     * out-of-order sequence): the storage error, retriable, would have its client retry what can never succeed.
     */
    private void failUnanswered(Throwable e) {
        LOG.error("The append thread failed after appending a batch of " + pending.size() + " request(s)", e);
        for (AppendEvent event : pending) {
            AppendCallback callback = event.callback;
            Log log = event.log;
            RuntimeException own = event.error;
            event.clear();
            if (callback != null) {
                GroupCommitter.complete(
                        callback,
                        null,
                        own != null
                                ? own
                                : new KafkaStorageException(
                                        "The append to " + log.topicPartition() + " failed after the write: " + e, e));
            }
        }
    }

    /** Publishes, acknowledges and wakes fetchers here: nothing of this batch waits for a sync. */
    private void complete() {
        for (Log log : touchedOrder) {
            log.advanceHighWatermark();
        }
        for (AppendEvent event : pending) {
            AppendCallback callback = event.callback;
            LogAppendInfo result = event.result;
            RuntimeException error = event.error;
            event.clear();
            if (callback != null) {
                GroupCommitter.complete(callback, error == null ? result : null, error);
            }
        }
        if (listener != null) {
            for (Log log : touchedOrder) {
                listener.onHighWatermarkAdvanced(log.topicPartition());
            }
        }
    }

    private boolean needsSync() {
        for (Log log : touchedOrder) {
            if (log.needsFlush(flushPolicy)) {
                return true;
            }
        }
        return false;
    }
}
