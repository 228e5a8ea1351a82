package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.internals.log.ProducerBatches.idempotent;
import static io.weir.broker.internals.log.ProducerBatches.marker;
import static io.weir.broker.internals.log.ProducerBatches.plain;
import static io.weir.broker.internals.log.ProducerBatches.transactional;
import static io.weir.broker.internals.log.ProducerBatches.utf8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.DescribeProducersRequest;
import io.weir.common.protocol.DescribeProducersResponse;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.ListOffsetsRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.ControlRecordType;
import io.weir.common.utils.MockTime;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Produce, DescribeProducers and ListOffsets as the partitions' producer state shapes them. */
class ProducerStateRequestsTest {
    private static final TopicPartition TP = new TopicPartition("orders", 0);
    private static final long PID = 9L;
    private static final short EPOCH = 0;

    @TempDir
    Path dir;

    private BrokerConfig config(Map<String, Object> extra) {
        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        return BrokerConfig.from(props);
    }

    @Test
    void resendIsAnsweredWithTheOriginalBaseOffsetAcrossCleanAndCrashRestarts() throws Exception {
        long original;
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), TP.topic(), 1, Map.of());
            produce(broker.api(), TP, plain(1, utf8("x")));
            original =
                    produce(broker.api(), TP, idempotent(PID, EPOCH, 0, 2, 1)).baseOffset();
            assertEquals(
                    original,
                    produce(broker.api(), TP, idempotent(PID, EPOCH, 0, 2, 1)).baseOffset());
        }
        EmbeddedBroker reopened = EmbeddedBroker.open(config(Map.of()));
        assertEquals(
                original,
                produce(reopened.api(), TP, idempotent(PID, EPOCH, 0, 2, 1)).baseOffset(),
                "after a clean restart");
        reopened.crashForTesting();
        try (EmbeddedBroker recovered = EmbeddedBroker.open(config(Map.of()))) {
            assertEquals(
                    original,
                    produce(recovered.api(), TP, idempotent(PID, EPOCH, 0, 2, 1))
                            .baseOffset(),
                    "after a crash");
            assertEquals(
                    3,
                    produce(recovered.api(), TP, idempotent(PID, EPOCH, 2, 1, 1))
                            .baseOffset());
        }
    }

    @Test
    void refusedBatchesCarryTheirErrorCodes() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), TP.topic(), 1, Map.of());
            produce(broker.api(), TP, idempotent(PID, (short) 1, 0, 1, 1));

            assertError(
                    Errors.OUT_OF_ORDER_SEQUENCE_NUMBER,
                    produce(broker.api(), TP, idempotent(PID, (short) 1, 3, 1, 1)));
            assertError(Errors.INVALID_PRODUCER_EPOCH, produce(broker.api(), TP, idempotent(PID, EPOCH, 1, 1, 1)));
            assertError(Errors.UNKNOWN_PRODUCER_ID, produce(broker.api(), TP, idempotent(PID + 1, EPOCH, 4, 1, 1)));
            assertError(
                    Errors.INVALID_RECORD,
                    produce(broker.api(), TP, marker(ControlRecordType.COMMIT, PID, (short) 1, 0, 1)));
        }
    }

    @Test
    void describeProducersAnswersEachPartitionsProducers() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), TP.topic(), 1, Map.of());
            produce(broker.api(), TP, plain(1, utf8("x")));
            produce(broker.api(), TP, transactional(PID, EPOCH, 0, 3, 1234));
            TopicPartition missing = new TopicPartition(TP.topic(), 5);

            DescribeProducersResponse response = broker.api()
                    .describeProducers(new DescribeProducersRequest(List.of(TP, missing)))
                    .get(10, TimeUnit.SECONDS);

            assertEquals(
                    List.of(new DescribeProducersResponse.ProducerState(PID, EPOCH, 2, 1234, -1, 1)),
                    response.partitions().get(TP).producers());
            assertEquals(
                    Errors.UNKNOWN_TOPIC_OR_PARTITION,
                    response.partitions().get(missing).error().error());
        }
    }

    @Test
    void latestOffsetUnderReadCommittedIsTheLastStableOffset() throws Exception {
        try (EmbeddedBroker broker = EmbeddedBroker.open(config(Map.of()))) {
            createTopic(broker.api(), TP.topic(), 1, Map.of());
            produce(broker.api(), TP, plain(1, utf8("x")));
            produce(broker.api(), TP, transactional(PID, EPOCH, 0, 1, 1));
            produce(broker.api(), TP, plain(1, utf8("y")));

            assertEquals(1, latest(broker, IsolationLevel.READ_COMMITTED));
            assertEquals(3, latest(broker, IsolationLevel.READ_UNCOMMITTED));
        }
    }

    @Test
    void idleProducersExpireOnTheBrokersSchedule() throws Exception {
        MockTime time = new MockTime();
        BrokerConfig config = config(Map.of(
                BrokerConfig.PRODUCER_ID_EXPIRATION_MS,
                "1000",
                BrokerConfig.PRODUCER_ID_EXPIRATION_CHECK_INTERVAL_MS,
                "1"));
        try (EmbeddedBroker broker = EmbeddedBroker.open(config, time)) {
            createTopic(broker.api(), TP.topic(), 1, Map.of());
            produce(broker.api(), TP, idempotent(PID, EPOCH, 0, 1, time.milliseconds()));

            time.sleep(1000);

            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (!describe(broker).isEmpty() && System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
            }
            assertTrue(describe(broker).isEmpty(), "the producer expired within 10 s");
            assertError(Errors.UNKNOWN_PRODUCER_ID, produce(broker.api(), TP, idempotent(PID, EPOCH, 1, 1, 1)));
        }
    }

    private static List<DescribeProducersResponse.ProducerState> describe(EmbeddedBroker broker) throws Exception {
        return broker.api()
                .describeProducers(new DescribeProducersRequest(List.of(TP)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(TP)
                .producers();
    }

    private static long latest(EmbeddedBroker broker, IsolationLevel isolation) throws Exception {
        return broker.api()
                .listOffsets(new ListOffsetsRequest(isolation, Map.of(TP, ListOffsetsRequest.LATEST)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(TP)
                .offset();
    }

    private static void assertError(Errors expected, ProduceResponse.PartitionResponse response) {
        assertEquals(expected, response.error().error(), response.error().message());
        assertTrue(
                response.error().message().contains(TP.toString()),
                response.error().message());
    }
}
