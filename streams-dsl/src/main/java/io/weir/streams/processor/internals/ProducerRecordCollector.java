package io.weir.streams.processor.internals;

import io.weir.clients.consumer.ConsumerGroupMetadata;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.clients.producer.Producer;
import io.weir.clients.producer.ProducerRecord;
import io.weir.clients.producer.RecordMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.record.Header;
import io.weir.common.utils.Time;
import io.weir.state.ChangelogHook;
import io.weir.streams.errors.ProductionExceptionHandler;
import io.weir.streams.errors.StreamsException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stream thread's {@link RecordCollector}: every task of the thread sends its sink records and changelog records
 * through the thread's one producer. Under exactly-once the producer is transactional: the first send after a commit
 * begins a transaction, and {@link #commitTransaction} ends it together with the consumed offsets.
 *
 * <p>A send that fails is reported on the producer's thread; the stream thread sees it at its next send, flush or
 * commit. Under at-least-once, {@code production.exception.handler} decides whether to drop the record and go on;
 * under exactly-once the transaction is lost, so the failure always ends the commit (nothing of it is visible).
 *
 * <p>Remembers the last changelog send of each changelog partition since the last commit, so the thread can tell
 * each store which changelog offset its committed data reflects.
 */
final class ProducerRecordCollector implements RecordCollector {
    private static final Logger LOG = LoggerFactory.getLogger(ProducerRecordCollector.class);

    private final Producer<byte[], byte[]> producer;
    private final boolean exactlyOnce;
    private final ProductionExceptionHandler handler;
    private final Time time;
    private final Map<TopicPartition, Future<RecordMetadata>> lastChangelogSends = new HashMap<>();
    private final Map<String, Integer> partitionCounts = new HashMap<>();
    private volatile RuntimeException sendError;
    private boolean inTransaction;
    private boolean sentSinceCommit;

    ProducerRecordCollector(
            Producer<byte[], byte[]> producer, boolean exactlyOnce, ProductionExceptionHandler handler, Time time) {
        this.producer = producer;
        this.exactlyOnce = exactlyOnce;
        this.handler = handler;
        this.time = time;
    }

    @Override
    public void send(
            String topic,
            Integer partition,
            byte[] key,
            byte[] value,
            List<Header> headers,
            long timestamp,
            String sinkName) {
        checkForError();
        beginIfNeeded();
        sentSinceCommit = true;
        ProducerRecord<byte[], byte[]> record = new ProducerRecord<>(topic, partition, timestamp, key, value, headers);
        producer.send(record, (metadata, exception) -> {
            if (exception != null) {
                onSendError(record, sinkName, exception);
            }
        });
    }

    /**
     * Asks the producer's metadata once per topic: the partition counts of the topics a topology writes do not change
     * while it runs (the internal topics are created before the threads start, and a changed count is refused).
     */
    @Override
    public int partitionCount(String topic) {
        return partitionCounts.computeIfAbsent(
                topic, t -> producer.partitionsFor(t).size());
    }

    @Override
    public ChangelogHook changelog(String topic, int partition) {
        TopicPartition changelog = new TopicPartition(topic, partition);
        return (key, value) -> {
            checkForError();
            beginIfNeeded();
            sentSinceCommit = true;
            ProducerRecord<byte[], byte[]> record =
                    new ProducerRecord<>(topic, partition, time.milliseconds(), key, value);
            Future<RecordMetadata> sent = producer.send(record, (metadata, exception) -> {
                if (exception != null) {
                    sendError = new StreamsException(
                            "Could not write the changelog record of " + changelog + ": " + exception, exception);
                }
            });
            lastChangelogSends.put(changelog, sent);
        };
    }

    private void onSendError(ProducerRecord<byte[], byte[]> record, String sinkName, Exception exception) {
        if (!exactlyOnce) {
            HandlerContext where =
                    new HandlerContext(record.topic(), -1, -1L, record.headers(), sinkName, null, record.timestamp());
            ProductionExceptionHandler.ProductionExceptionHandlerResponse response;
            try {
                response = handler.handle(where, record, exception);
            } catch (RuntimeException e) {
                response = ProductionExceptionHandler.ProductionExceptionHandlerResponse.FAIL;
            }
            if (response == ProductionExceptionHandler.ProductionExceptionHandlerResponse.CONTINUE) {
                LOG.warn(
                        "Dropped a record of sink {} that could not be written to {}: {}",
                        sinkName,
                        record.topic(),
                        exception.toString());
                return;
            }
        }
        if (sendError == null) {
            sendError = new StreamsException(
                    "Sink " + sinkName + " could not write a record to topic " + record.topic() + ": " + exception,
                    exception);
        }
    }

    private void beginIfNeeded() {
        if (exactlyOnce && !inTransaction) {
            producer.beginTransaction();
            inTransaction = true;
        }
    }

    /** Whether anything was sent since the last commit or abort. */
    boolean hasSent() {
        return sentSinceCommit;
    }

    /** Throws the first failed send since the last commit. */
    void checkForError() {
        RuntimeException error = sendError;
        if (error != null) {
            throw error;
        }
    }

    /** At-least-once: waits until every record sent so far is written. */
    void flush() {
        producer.flush();
        sentSinceCommit = false;
        checkForError();
    }

    /**
     * Exactly-once: adds the consumed offsets to the transaction (beginning one if nothing was sent) and commits it.
     * When this returns, every record sent since the last commit and the offsets are committed together.
     */
    void commitTransaction(Map<TopicPartition, OffsetAndMetadata> offsets, ConsumerGroupMetadata group) {
        checkForError();
        beginIfNeeded();
        if (!offsets.isEmpty()) {
            producer.sendOffsetsToTransaction(offsets, group);
        }
        producer.commitTransaction();
        inTransaction = false;
        sentSinceCommit = false;
        checkForError();
    }

    /** Exactly-once: abandons the open transaction, if any; its records are never visible to read_committed. */
    void abortTransaction() {
        lastChangelogSends.clear();
        sendError = null;
        sentSinceCommit = false;
        if (exactlyOnce && inTransaction) {
            inTransaction = false;
            producer.abortTransaction();
        }
    }

    /**
     * The offset of the last record sent to {@code changelog} since the last call, or -1 if none; only after the
     * sends completed (a flush or a transaction commit).
     */
    long takeChangelogOffset(TopicPartition changelog) {
        Future<RecordMetadata> last = lastChangelogSends.remove(changelog);
        if (last == null) {
            return -1L;
        }
        try {
            return last.get().offset();
        } catch (ExecutionException e) {
            throw new StreamsException(
                    "The changelog record of " + changelog + " was not written: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new StreamsException("Interrupted waiting for the changelog write of " + changelog, e);
        }
    }
}
