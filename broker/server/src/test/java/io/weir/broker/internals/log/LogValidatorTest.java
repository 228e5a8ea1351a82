package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidRecordException;
import io.weir.common.errors.RecordTooLargeException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What {@link LogValidator} asks of a batch beyond its framing: here, keys on a compacted topic. */
class LogValidatorTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);
    private static final LogConfig COMPACT =
            LogConfig.withOverrides(LogConfig.DEFAULTS, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
    private static final LogConfig DELETE = LogConfig.DEFAULTS;

    @TempDir
    Path dir;

    /** One batch; a null element is a record without a key, the others are keyed by their own text. */
    private static ByteBuffer batch(CompressionType compression, String... keys) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                compression, RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, false);
        for (String key : keys) {
            builder.append(
                    1_000L,
                    key == null ? null : key.getBytes(StandardCharsets.UTF_8),
                    "value".getBytes(StandardCharsets.UTF_8),
                    new Header[0]);
        }
        return builder.build();
    }

    private static ByteBuffer concat(ByteBuffer... batches) {
        int size = 0;
        for (ByteBuffer b : batches) {
            size += b.remaining();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        for (ByteBuffer b : batches) {
            out.put(b.duplicate());
        }
        return out.flip();
    }

    @Test
    void batchOverMaxMessageBytesCarriesPartitionSizeAndLimitAsFields() {
        ByteBuffer batch = batch(CompressionType.NONE, "a", "b");
        LogConfig small = LogConfig.withOverrides(DELETE, Map.of(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "10"));

        RecordTooLargeException e =
                assertThrows(RecordTooLargeException.class, () -> LogValidator.validate(batch, small, TP));

        assertEquals(TP, e.topicPartition());
        assertEquals(batch.remaining(), e.sizeInBytes());
        assertEquals(10, e.maxMessageBytes());
        assertTrue(e.getMessage().contains("max.message.bytes=10"), e.getMessage());
    }

    @Test
    void compactedTopicRefusesARecordWithoutAKeyNamingPartitionBatchAndRecord() {
        ByteBuffer batches = concat(batch(CompressionType.NONE, "a", "b"), batch(CompressionType.NONE, "c", null, "d"));

        InvalidRecordException e =
                assertThrows(InvalidRecordException.class, () -> LogValidator.validate(batches, COMPACT, TP));

        assertTrue(
                e.getMessage().startsWith("Compacted topic cannot accept message without key in topic partition t-0"),
                e.getMessage());
        assertTrue(e.getMessage().contains("record 1 of batch 1"), e.getMessage());
        assertTrue(e.getMessage().contains("cleanup.policy=compact"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(CompressionType.class)
    void compactedTopicFindsAKeylessRecordInsideAnyCompression(CompressionType compression) {
        ByteBuffer keyless = batch(compression, "a", "b", null);

        InvalidRecordException e =
                assertThrows(InvalidRecordException.class, () -> LogValidator.validate(keyless, COMPACT, TP));

        assertTrue(
                e.getMessage().contains("record 2 of batch 0") && e.getMessage().contains(compression.configName()),
                e.getMessage());
        assertEquals(3, LogValidator.validate(batch(compression, "a", "b", "c"), COMPACT, TP), "keyed records pass");
    }

    @Test
    void compactAndDeleteTopicAlsoRefusesKeylessRecords() {
        LogConfig both = LogConfig.withOverrides(
                LogConfig.DEFAULTS, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"));
        assertThrows(
                InvalidRecordException.class,
                () -> LogValidator.validate(batch(CompressionType.GZIP, (String) null), both, TP));
    }

    @Test
    void deleteOnlyTopicAcceptsKeylessRecords() {
        assertEquals(2, LogValidator.validate(batch(CompressionType.LZ4, null, null), DELETE, TP));
    }

    @Test
    void anEmptyKeyIsAKey() {
        assertEquals(1, LogValidator.validate(batch(CompressionType.NONE, ""), COMPACT, TP));
    }

    @Test
    void refusedKeylessRecordLeavesTheLogUntouchedAndKeyedAppendsGoOn() {
        Log log = Log.open(dir, TP, COMPACT, ProducerStateConfig.DEFAULT, new MockTime(), Shutdown.CLEAN);
        try {
            ByteBuffer mixed = concat(batch(CompressionType.NONE, "a"), batch(CompressionType.SNAPPY, "b", null));
            assertThrows(InvalidRecordException.class, () -> log.append(mixed, AppendOrigin.CLIENT));
            assertEquals(0, log.logEndOffset(), "the keyed batch sharing the append is not written either");
            assertEquals(0, log.size());

            assertEquals(
                    0,
                    log.append(batch(CompressionType.SNAPPY, "a", "b"), AppendOrigin.CLIENT)
                            .firstOffset());
            log.advanceHighWatermark();
            List<Record> records = LogTestSupport.readAll(log, 0, 1 << 20);
            assertEquals(
                    List.of("a", "b"),
                    records.stream()
                            .map(r -> new String(r.keyBytes(), StandardCharsets.UTF_8))
                            .toList());
        } finally {
            log.close();
        }
    }

    @Test
    void aLogSwitchedToCompactStartsRefusingKeylessRecords() {
        Log log = Log.open(dir, TP, DELETE, ProducerStateConfig.DEFAULT, new MockTime(), Shutdown.CLEAN);
        try {
            log.append(batch(CompressionType.NONE, (String) null), AppendOrigin.CLIENT);
            log.updateConfig(COMPACT);
            assertThrows(
                    InvalidRecordException.class,
                    () -> log.append(batch(CompressionType.NONE, (String) null), AppendOrigin.CLIENT));
            assertEquals(1, log.logEndOffset());
        } finally {
            log.close();
        }
    }
}
