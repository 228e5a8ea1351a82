package io.weir.broker.internals.log;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.InvalidTimestampException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.record.CloseableIterator;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import java.nio.ByteBuffer;

/**
 * The checks every batch passes before a log assigns it offsets (Kafka's LogValidator): framing, magic, CRC,
 * size, record count and timestamps, and on a compacted topic a key on every record. What the producer state says about a batch is decided separately, by
 * {@link LogProducerState#check}. Stateless.
 */
final class LogValidator {
    private LogValidator() {}

    /**
     * @return the number of records in {@code batches}
     * @throws CorruptRecordException     no batch, a truncated or malformed one, or a CRC mismatch
     * @throws RecordTooLargeException    a batch is larger than {@code max.message.bytes}
     * @throws InvalidTimestampException  a batch carries a negative timestamp other than -1
     * @throws InvalidRecordException     the topic is compacted and a record of a data batch has no key
     */
    static int validate(ByteBuffer batches, LogConfig cfg, TopicPartition topicPartition) {
        int records = 0;
        int at = batches.position();
        int index = 0;
        if (!batches.hasRemaining()) {
            throw new CorruptRecordException("Produce request for " + topicPartition + " carries no record batch");
        }
        while (at < batches.limit()) {
            int remaining = batches.limit() - at;
            if (remaining < BatchHeader.SIZE) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " is truncated: "
                        + remaining + " bytes left, a batch header needs " + BatchHeader.SIZE);
            }
            int size = BatchHeader.sizeInBytes(batches, at);
            if (size > cfg.maxMessageBytes()) {
                throw new RecordTooLargeException(topicPartition, size, cfg.maxMessageBytes());
            }
            if (size < BatchHeader.SIZE || size > remaining) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " declares " + size
                        + " bytes but " + remaining + " remain");
            }
            RecordBatch batch =
                    RecordBatch.wrap(batches.duplicate().position(at).limit(at + size));
            if (batch.magic() != RecordBatch.MAGIC) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " has magic "
                        + batch.magic() + "; only the v2 format (magic 2) is accepted");
            }
            batch.ensureValid();
            if (batch.recordCount() != batch.lastOffsetDelta() + 1 || batch.recordCount() <= 0) {
                throw new CorruptRecordException("Batch " + index + " for " + topicPartition + " has "
                        + batch.recordCount() + " records but last offset delta " + batch.lastOffsetDelta());
            }
            if (batch.firstTimestamp() < -1 || batch.maxTimestamp() < -1) {
                throw new InvalidTimestampException("Batch " + index + " for " + topicPartition
                        + " carries negative timestamp " + Math.min(batch.firstTimestamp(), batch.maxTimestamp())
                        + "; timestamps must be >= 0 (or -1 for none)");
            }
            if (cfg.compacts() && !batch.isControl()) {
                requireKeys(batch, index, cfg, topicPartition);
            }
            records += batch.recordCount();
            at += size;
            index++;
        }
        return records;
    }

    /**
     * A compacted log keeps the latest record per key, so a record without one has no place in it: the
     * cleaner relies on every record having a key, and Kafka refuses one with INVALID_RECORD. This is the one
     * check that reads the records themselves (decompressing a compressed batch), which is why only compacted
     * topics pay for it. Control batches are the coordinator's markers, keyed by their own layout.
     *
     * @throws CorruptRecordException the records section does not decode
     */
    private static void requireKeys(RecordBatch batch, int index, LogConfig cfg, TopicPartition topicPartition) {
        try (CloseableIterator<Record> records = batch.records()) {
            for (int i = 0; records.hasNext(); i++) {
                if (records.next().key() == null) {
                    throw new InvalidRecordException(
                            "Compacted topic cannot accept message without key in topic partition "
                                    + topicPartition + ": record " + i + " of batch " + index + " ("
                                    + batch.recordCount()
                                    + " records, " + batch.compression().configName() + ") has a null key; with "
                                    + TopicConfig.CLEANUP_POLICY_CONFIG + "=" + cfg.cleanupPolicy()
                                    + " every record needs one");
                }
            }
        }
    }
}
