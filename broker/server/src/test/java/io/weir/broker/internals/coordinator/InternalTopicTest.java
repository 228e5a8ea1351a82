package io.weir.broker.internals.coordinator;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.AppendWaitStrategy;
import io.weir.broker.FlushPolicy;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.LogAppendInfo;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.record.CompressionType;
import io.weir.common.record.ControlRecordType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import io.weir.transactions.TransactionResult;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link InternalTopic} over a real log manager and append rings. Keys are numbers and the key hash is the
 * number itself, so each test says which partition a key lands in.
 */
class InternalTopicTest {
    private static final String TOPIC = "__internal";
    private static final int PARTITIONS = 3;
    private static final long PID = 7L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private LogManager logs;
    private AppendRings rings;
    private InternalTopic topic;

    @BeforeEach
    void open() {
        logs = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, time);
        rings = new AppendRings(1, 64, AppendWaitStrategy.BLOCKING, FlushPolicy.OS, tp -> {}, time);
        topic = new InternalTopic(logs, rings, TOPIC, PARTITIONS, 1 << 20, 5_000, Integer::parseInt);
    }

    @AfterEach
    void close() {
        rings.close();
        logs.close();
    }

    @Test
    void loadOfATopicNeverWrittenReplaysNothingAndCreatesNothing() {
        List<String> replayed = new ArrayList<>();
        topic.load(recorder(replayed));
        assertEquals(List.of(), replayed);
        assertFalse(logs.topicExists(TOPIC));
    }

    @Test
    void firstAppendCreatesTheCompactedTopicAndLandsInTheKeysPartition() throws Exception {
        LogAppendInfo info = append("4", plain("k", "v"));

        assertEquals(0, info.firstOffset());
        assertEquals(PARTITIONS, logs.topicMetadata(TOPIC).partitions());
        assertTrue(logs.topicConfig(TOPIC).compacts());
        assertEquals(1 << 20, logs.topicConfig(TOPIC).segmentBytes());
        assertEquals(1, logs.log(new TopicPartition(TOPIC, 1)).logEndOffset(), "4 % 3 partitions");
    }

    @Test
    void partitionCountOfAnExistingTopicDecidesOverTheConfiguredOne() {
        assertEquals(new TopicPartition(TOPIC, 7 % PARTITIONS), topic.partitionFor("7"));
        logs.createInternalTopic(TOPIC, 5, Map.of("cleanup.policy", "compact"));
        assertEquals(new TopicPartition(TOPIC, 7 % 5), topic.partitionFor("7"));
    }

    @Test
    void loadHandsEveryRecordAndMarkerInLogOrderWithItsTransactionsProducer() throws Exception {
        append("0", plain("a", "1"));
        append("1", transactional("b", "2", "c", "3"));
        append("1", RecordBatchBuilder.controlBatch(ControlRecordType.COMMIT, PID, EPOCH, time.milliseconds(), 0));
        append("1", plain("d", "4"));
        append("0", transactional("e", "5"));
        append("0", RecordBatchBuilder.controlBatch(ControlRecordType.ABORT, PID, EPOCH, time.milliseconds(), 0));

        List<String> replayed = new ArrayList<>();
        topic.load(recorder(replayed));

        assertEquals(
                List.of(
                        "__internal-0@0 a=1 producer -1",
                        "__internal-0@1 e=5 producer 7",
                        "__internal-0 marker of 7: ABORT",
                        "__internal-1@0 b=2 producer 7",
                        "__internal-1@1 c=3 producer 7",
                        "__internal-1 marker of 7: COMMIT",
                        "__internal-1@3 d=4 producer -1"),
                replayed);
    }

    @Test
    void tombstonesAreReplayedWithANullValue() throws Exception {
        append("2", plain("k", "v"));
        append("2", plain("k", null));

        List<String> replayed = new ArrayList<>();
        topic.load(recorder(replayed));

        assertEquals(List.of("__internal-2@0 k=v producer -1", "__internal-2@1 k=null producer -1"), replayed);
    }

    private LogAppendInfo append(String key, ByteBuffer batch) throws Exception {
        CompletableFuture<LogAppendInfo> done = new CompletableFuture<>();
        topic.append(key, batch, (info, error) -> {
            if (error != null) {
                done.completeExceptionally(error);
            } else {
                done.complete(info);
            }
        });
        return done.get(10, TimeUnit.SECONDS);
    }

    private static InternalTopic.Replay recorder(List<String> replayed) {
        return new InternalTopic.Replay() {
            @Override
            public void record(TopicPartition partition, Record record, long producerId) {
                replayed.add(partition + "@" + record.offset() + " " + utf8(record.key()) + "=" + utf8(record.value())
                        + " producer " + producerId);
            }

            @Override
            public void marker(TopicPartition partition, long producerId, TransactionResult result) {
                replayed.add(partition + " marker of " + producerId + ": " + result);
            }
        };
    }

    private ByteBuffer plain(String... keysAndValues) {
        return batch(
                new RecordBatchBuilder(
                        CompressionType.NONE,
                        RecordBatch.NO_PRODUCER_ID,
                        RecordBatch.NO_PRODUCER_EPOCH,
                        RecordBatch.NO_SEQUENCE,
                        false),
                keysAndValues);
    }

    /** A transactional batch without a sequence, as a coordinator writes one. */
    private ByteBuffer transactional(String... keysAndValues) {
        return batch(
                new RecordBatchBuilder(CompressionType.NONE, PID, EPOCH, RecordBatch.NO_SEQUENCE, true), keysAndValues);
    }

    private ByteBuffer batch(RecordBatchBuilder builder, String... keysAndValues) {
        for (int i = 0; i < keysAndValues.length; i += 2) {
            String value = keysAndValues[i + 1];
            builder.append(
                    time.milliseconds(),
                    keysAndValues[i].getBytes(StandardCharsets.UTF_8),
                    value == null ? null : value.getBytes(StandardCharsets.UTF_8),
                    new Header[0]);
        }
        return builder.build();
    }

    private static String utf8(ByteBuffer bytes) {
        if (bytes == null) {
            return "null";
        }
        byte[] out = new byte[bytes.remaining()];
        bytes.duplicate().get(out);
        return new String(out, StandardCharsets.UTF_8);
    }
}
