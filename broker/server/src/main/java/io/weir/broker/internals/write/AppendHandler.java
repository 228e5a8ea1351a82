package io.weir.broker.internals.write;

import com.lmax.disruptor.EventHandler;
import io.weir.broker.FlushPolicy;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.common.errors.KafkaStorageException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The single append thread of one ring. For each event it appends the batches to their partition's log;
 * at the end of each Disruptor batch — everything that queued up while it was busy — it syncs each touched
 * log if the flush policy says so, publishes the new high watermarks, completes the acknowledgements, and
 * wakes long-polling fetchers. One fsync therefore covers every request of the batch (group commit), and
 * no acknowledgement is sent for data the policy requires on disk before it is there.
 *
 * <p>Confined to the ring's thread; the Disruptor keeps the events of a batch untouched until
 * {@code onEvent} returns with {@code endOfBatch} true, so they are completed in place.
 */
final class AppendHandler implements EventHandler<AppendEvent> {
    private static final Logger LOG = LoggerFactory.getLogger(AppendHandler.class);
    private final FlushPolicy flushPolicy;
    private final HighWatermarkListener listener;
    private final List<AppendEvent> pending = new ArrayList<>();
    /** Logs written in the current batch, each once, in first-touch order. */
    private final Map<Log, Boolean> touched = new IdentityHashMap<>();

    private final List<Log> touchedOrder = new ArrayList<>();

    AppendHandler(FlushPolicy flushPolicy, HighWatermarkListener listener) {
        this.flushPolicy = flushPolicy;
        this.listener = listener;
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
        }
        pending.add(event);
        if (endOfBatch) {
            completeBatch();
        }
    }

    private void completeBatch() {
        RuntimeException flushError = null;
        for (Log log : touchedOrder) {
            try {
                log.flushIfNeeded(flushPolicy);
                log.advanceHighWatermark();
            } catch (RuntimeException e) {
                // The data may be written but is not known to be durable: fail the acks of this log's events.
                flushError = e instanceof KafkaStorageException
                        ? e
                        : new KafkaStorageException("Flushing " + log.topicPartition() + " failed: " + e, e);
                failEventsOf(log, flushError);
            }
        }
        for (AppendEvent event : pending) {
            AppendCallback callback = event.callback;
            LogAppendInfo result = event.result;
            RuntimeException error = event.error;
            event.clear();
            if (callback != null) {
                try {
                    callback.onComplete(error == null ? result : null, error);
                } catch (RuntimeException e) {
                    // A callback's bug must not stop the acknowledgements of the others in the batch.
                    LOG.error("Append callback failed", e);
                }
            }
        }
        pending.clear();
        if (listener != null) {
            for (Log log : touchedOrder) {
                listener.onHighWatermarkAdvanced(log.topicPartition());
            }
        }
        touched.clear();
        touchedOrder.clear();
    }

    private void failEventsOf(Log log, RuntimeException error) {
        for (AppendEvent event : pending) {
            if (event.log == log && event.error == null) {
                event.error = error;
            }
        }
    }
}
