package io.weir.broker;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.createTopic;
import static io.weir.broker.BrokerTestSupport.produce;
import static io.weir.broker.BrokerTestSupport.values;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ReadBuffers;
import io.weir.common.utils.MockTime;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** An in-process fetch reads into the buffers its caller lends (see {@link ReadBuffers}), also when it long-polls. */
class LentReadBuffersTest {
    private static final TopicPartition T0 = new TopicPartition("t", 0);

    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private final List<ByteBuffer> lent = new CopyOnWriteArrayList<>();
    private final List<byte[]> discarded = new CopyOnWriteArrayList<>();
    /** Hands out buffers larger than asked, as a pool does, and remembers them and those given back. */
    private final ReadBuffers lender = new ReadBuffers() {
        @Override
        public ByteBuffer allocate(int size) {
            ByteBuffer b = ByteBuffer.wrap(new byte[size + 64], 0, size);
            lent.add(b);
            return b;
        }

        @Override
        public void discard(ByteBuffer buffer) {
            discarded.add(buffer.array());
        }
    };

    private EmbeddedBroker broker;

    @AfterEach
    void closeBroker() {
        if (broker != null) {
            broker.close();
        }
    }

    private static FetchRequest fetchFrom(long offset, int maxWaitMs) {
        return new FetchRequest(
                maxWaitMs,
                1,
                1 << 20,
                IsolationLevel.READ_UNCOMMITTED,
                Map.of(T0, new FetchRequest.PartitionFetch(offset, 1 << 20)));
    }

    @Test
    void theAnswersRecordsLieInABufferTheCallerLent() throws Exception {
        broker = EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, dir.toString())), time);
        createTopic(broker.api(), "t", 1, Map.of());
        produce(broker.api(), T0, batch(time.milliseconds(), "a", "b"));

        FetchResponse.PartitionData data = broker.api()
                .fetch(fetchFrom(0, 0), lender)
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(T0);

        assertEquals(List.of("a", "b"), values(data.records(), 0));
        assertEquals(1, lent.size());
        assertSame(lent.get(0).array(), data.records().array());
    }

    @Test
    void aLongPollWokenByAnAppendReadsIntoALentBufferToo() throws Exception {
        broker = EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, dir.toString())), time);
        createTopic(broker.api(), "t", 1, Map.of());

        CompletableFuture<FetchResponse> waiting = broker.api().fetch(fetchFrom(0, 60_000), lender);
        produce(broker.api(), T0, batch(time.milliseconds(), "late"));

        FetchResponse.PartitionData data =
                waiting.get(10, TimeUnit.SECONDS).partitions().get(T0);
        assertEquals(List.of("late"), values(data.records(), 0));
        assertTrue(
                lent.stream().anyMatch(b -> b.array() == data.records().array()),
                "read into one of the " + lent.size() + " buffers lent");
    }

    @Test
    void aLongPollGivesBackTheBuffersOfReReadsBelowFetchMinBytes() throws Exception {
        broker = EmbeddedBroker.open(BrokerConfig.from(Map.of(BrokerConfig.LOG_DIRS, dir.toString())), time);
        createTopic(broker.api(), "t", 1, Map.of());
        produce(broker.api(), T0, batch(time.milliseconds(), "before"));
        FetchRequest wantsAMegabyte = new FetchRequest(
                60_000,
                1 << 20,
                1 << 20,
                IsolationLevel.READ_UNCOMMITTED,
                Map.of(T0, new FetchRequest.PartitionFetch(0, 1 << 20)));

        CompletableFuture<FetchResponse> waiting = broker.api().fetch(wantsAMegabyte, lender);
        for (int i = 1; i <= 3; i++) {
            produce(broker.api(), T0, batch(time.milliseconds(), "small-" + i));
            int reads = i + 1; // the first read, then one a wake-up at least
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (lent.size() < reads || discarded.size() < lent.size()) {
                assertTrue(
                        System.nanoTime() < deadline,
                        lent.size() + " reads below fetch.min.bytes, " + discarded.size() + " buffers given back");
                Thread.onSpinWait();
            }
        }
        assertFalse(waiting.isDone(), "still below fetch.min.bytes");
        for (ByteBuffer read : lent) {
            assertTrue(discarded.contains(read.array()), "every discarded read's buffer went back");
        }
    }
}
