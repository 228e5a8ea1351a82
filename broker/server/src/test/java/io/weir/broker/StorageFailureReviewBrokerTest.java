package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;

import io.weir.broker.FaultyDisk.Op;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.Errors;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Review of issue 12 section 1, through the broker: write paths that leave the directory online. */
class StorageFailureReviewBrokerTest {
    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private final MockTime time = new MockTime();
    private EmbeddedBroker broker;

    @AfterEach
    void close() {
        if (broker != null) {
            broker.close();
        }
    }

    /**
     * Creating a new topic's first segment fails (a write to the directory: the file's creation). The segment
     * and roll paths take the directory offline for exactly this; here LogLoader turns the FileWriteException
     * into a plain KafkaStorageException, the directory stays online, and t-0 keeps accepting appends on a disk
     * that just failed a write (Kafka takes the directory offline when creating a log fails with an IOException).
     */
    @Test
    void aFailedCreationOfANewTopicsSegmentTakesTheDirectoryOffline() throws Exception {
        Map<String, Object> props = new LinkedHashMap<>();
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LOG_CLEANER_ENABLE, "false");
        broker = EmbeddedBroker.open(BrokerConfig.from(props), time, disk);
        createTopic(broker.api(), "t", 1, Map.of());
        TopicPartition t0 = new TopicPartition("t", 0);
        assertEquals(
                Errors.NONE, produce(broker.api(), t0, record("before")).error().error());

        disk.fail(
                Op.OPEN,
                path -> path.getParent() != null
                        && path.getParent().getFileName().toString().equals("u-0")
                        && path.getFileName().toString().endsWith(".log"));
        ApiError created = broker.api()
                .createTopics(
                        new CreateTopicsRequest(List.of(new CreateTopicsRequest.NewTopicSpec("u", 1, Map.of())), false))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get("u");
        assertNotEquals(Errors.NONE, created.error(), "the creation failed");
        assertEquals(
                Errors.KAFKA_STORAGE_ERROR,
                produce(broker.api(), t0, record("after")).error().error(),
                "the directory went offline with the failed write");
    }

    private ByteBuffer record(String value) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        builder.append(time.milliseconds(), null, value.getBytes(StandardCharsets.UTF_8), new Header[0]);
        return builder.build();
    }
}
