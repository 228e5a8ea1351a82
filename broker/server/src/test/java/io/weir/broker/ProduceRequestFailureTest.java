package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.readAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk.Op;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A produce request whose partitions fail part-way through publishing them to the append rings is still answered
 * once, per partition, after the appends that were published: a client reuses a batch's buffer once the broker
 * answers, so an answer (or a thrown exception) while a ring still reads a batch would hand it bytes to overwrite.
 */
class ProduceRequestFailureTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);
    private static final TopicPartition T1 = new TopicPartition("t", 1);

    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();
    private final MockTime time = new MockTime();
    private EmbeddedBroker broker;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private BrokerConfig config() {
        return BrokerConfig.from(
                Map.of(BrokerConfig.LOG_DIRS, dir.toString(), BrokerConfig.LOG_CLEANER_ENABLE, "false"));
    }

    @Test
    void anUnexpectedFailureOfOnePartitionAnswersItWithAnErrorAndTheOthersAfterTheirAppends() throws Exception {
        broker = EmbeddedBroker.open(config(), time, disk);
        createTopic(broker.api(), "t", 2, Map.of());
        assertTrue(produce(broker.api(), T0, batch(time.milliseconds(), "a"))
                .error()
                .isSuccess());
        assertTrue(produce(broker.api(), T1, batch(time.milliseconds(), "b"))
                .error()
                .isSuccess());
        broker.close();
        // Reopened, the logs open on first use; t-1's open meets a bug (not a WeirException) in the file layer.
        broker = EmbeddedBroker.open(config(), time, disk);
        disk.failOnce(Op.OPEN, path -> path.getParent().getFileName().toString().equals("t-1"), () -> {
            throw new IllegalStateException("injected bug opening a file of t-1");
        });
        Map<TopicPartition, ByteBuffer> batches = new LinkedHashMap<>(); // t-0 is published before t-1 fails
        batches.put(T0, batch(time.milliseconds(), "c"));
        batches.put(T1, batch(time.milliseconds(), "d"));

        CompletableFuture<ProduceResponse> answer =
                broker.api().produce(new ProduceRequest((short) -1, 10_000, null, batches));

        Map<TopicPartition, ProduceResponse.PartitionResponse> partitions =
                answer.get(10, TimeUnit.SECONDS).partitions();
        assertEquals(Errors.NONE, partitions.get(T0).error().error(), "t-0 was appended");
        assertEquals(1, partitions.get(T0).baseOffset());
        assertEquals(Errors.UNKNOWN_SERVER_ERROR, partitions.get(T1).error().error());
        assertTrue(
                partitions.get(T1).error().message().contains("injected bug"),
                partitions.get(T1).error().message());
        assertEquals(List.of("a", "c"), readAll(broker.api(), T0, 0));
        assertEquals(List.of("b"), readAll(broker.api(), T1, 0), "t-1 opens on its next use");
    }
}
