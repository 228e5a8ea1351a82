package io.weir.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.AddOffsetsToTxnRequest;
import io.weir.common.protocol.AddPartitionsToTxnRequest;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.DescribeTransactionsRequest;
import io.weir.common.protocol.DescribeTransactionsResponse;
import io.weir.common.protocol.EndTxnRequest;
import io.weir.common.protocol.Errors;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.InitProducerIdRequest;
import io.weir.common.protocol.InitProducerIdResponse;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import io.weir.common.protocol.OffsetFetchRequest;
import io.weir.common.protocol.TxnOffsetCommitRequest;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/** Transaction requests for tests that talk to a broker through its {@link BrokerApi}. */
public final class TransactionTestSupport {
    private static final long WAIT_MS = 10_000;

    private TransactionTestSupport() {}

    /** What a producer holds after InitProducerId. */
    public record Producer(String transactionalId, long producerId, short producerEpoch) {}

    public static InitProducerIdResponse initRaw(
            BrokerApi api, String transactionalId, int timeoutMs, long pid, short epoch) throws Exception {
        return api.initProducerId(new InitProducerIdRequest(transactionalId, timeoutMs, pid, epoch))
                .get(WAIT_MS, TimeUnit.MILLISECONDS);
    }

    /** InitProducerId for a new instance, retrying CONCURRENT_TRANSACTIONS as a client does. */
    public static Producer init(BrokerApi api, String transactionalId, int timeoutMs) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (true) {
            InitProducerIdResponse r = initRaw(api, transactionalId, timeoutMs, -1L, (short) -1);
            if (r.error().error() != Errors.CONCURRENT_TRANSACTIONS || System.nanoTime() - deadline > 0) {
                assertEquals(Errors.NONE, r.error().error(), r.error().message());
                return new Producer(transactionalId, r.producerId(), r.producerEpoch());
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }

    public static Map<TopicPartition, ApiError> addRaw(BrokerApi api, Producer p, TopicPartition... partitions)
            throws Exception {
        return api.addPartitionsToTxn(new AddPartitionsToTxnRequest(
                        p.transactionalId(), p.producerId(), p.producerEpoch(), Set.of(partitions)))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .results();
    }

    /** AddPartitionsToTxn; the one error every partition got. */
    public static ApiError add(BrokerApi api, Producer p, TopicPartition... partitions) throws Exception {
        Map<TopicPartition, ApiError> results = addRaw(api, p, partitions);
        ApiError first = results.get(partitions[0]);
        results.values().forEach(e -> assertEquals(first.error(), e.error(), "all or none: " + results));
        return first;
    }

    public static ApiError addOffsets(BrokerApi api, Producer p, String groupId) throws Exception {
        return api.addOffsetsToTxn(
                        new AddOffsetsToTxnRequest(p.transactionalId(), p.producerId(), p.producerEpoch(), groupId))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .error();
    }

    public static ApiError end(BrokerApi api, Producer p, boolean commit) throws Exception {
        return api.endTxn(new EndTxnRequest(p.transactionalId(), p.producerId(), p.producerEpoch(), commit))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .error();
    }

    /** A transactional batch of {@code p} starting at {@code baseSequence}, its records stamped long ago (1000 ms). */
    public static ByteBuffer txnBatch(Producer p, int baseSequence, String... values) {
        return txnBatch(p, baseSequence, 1000L, values);
    }

    /** A transactional batch of {@code p} starting at {@code baseSequence}, its records stamped {@code timestamp}. */
    public static ByteBuffer txnBatch(Producer p, int baseSequence, long timestamp, String... values) {
        RecordBatchBuilder builder =
                new RecordBatchBuilder(CompressionType.NONE, p.producerId(), p.producerEpoch(), baseSequence, true);
        for (String v : values) {
            builder.append(timestamp, null, v.getBytes(StandardCharsets.UTF_8), new Header[0]);
        }
        return builder.build();
    }

    /** TxnOffsetCommit without group metadata (generation -1, no member), one error per partition. */
    public static Map<TopicPartition, ApiError> txnOffsetCommit(
            BrokerApi api, Producer p, String groupId, Map<TopicPartition, Long> offsets) throws Exception {
        Map<TopicPartition, CommittedOffset> committed = new HashMap<>();
        offsets.forEach((tp, o) -> committed.put(tp, new CommittedOffset(o, -1, "", -1)));
        return api.txnOffsetCommit(new TxnOffsetCommitRequest(
                        p.transactionalId(), groupId, p.producerId(), p.producerEpoch(), -1, "", null, committed))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .results();
    }

    /** The group's committed offset of {@code tp}, -1 if none. */
    public static long committed(BrokerApi api, String groupId, TopicPartition tp) throws Exception {
        return api.offsetFetch(new OffsetFetchRequest(groupId, List.of(tp)))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .offsets()
                .get(tp)
                .offset();
    }

    public static DescribeTransactionsResponse.DescribedTransaction describe(BrokerApi api, String transactionalId)
            throws Exception {
        return api.describeTransactions(new DescribeTransactionsRequest(List.of(transactionalId)))
                .get(WAIT_MS, TimeUnit.MILLISECONDS)
                .transactions()
                .get(transactionalId);
    }

    /** Waits (with a deadline) until the coordinator reports {@code state} for the id. */
    public static void awaitState(BrokerApi api, String transactionalId, String state) throws Exception {
        waitUntil(
                () -> {
                    try {
                        return state.equals(describe(api, transactionalId).state());
                    } catch (Exception e) {
                        throw new IllegalStateException(e);
                    }
                },
                transactionalId + " reaching " + state);
    }

    /** Every batch of the partition, control batches included, from offset 0 to the high watermark. */
    public static List<RecordBatch> batches(BrokerApi api, TopicPartition tp) throws Exception {
        List<RecordBatch> out = new ArrayList<>();
        long next = 0;
        while (true) {
            FetchResponse.PartitionData data = api.fetch(new FetchRequest(
                            0,
                            1,
                            1 << 20,
                            IsolationLevel.READ_UNCOMMITTED,
                            Map.of(tp, new FetchRequest.PartitionFetch(next, 1 << 20))))
                    .get(WAIT_MS, TimeUnit.MILLISECONDS)
                    .partitions()
                    .get(tp);
            assertEquals(Errors.NONE, data.error().error(), data.error().message());
            ByteBuffer buffer = data.records().duplicate();
            if (!buffer.hasRemaining()) {
                return out;
            }
            while (buffer.remaining() >= RecordBatch.HEADER_SIZE) {
                RecordBatch batch = RecordBatch.wrap(buffer.slice());
                out.add(batch);
                next = batch.nextOffset();
                buffer.position(buffer.position() + batch.sizeInBytes());
            }
        }
    }

    /** Waits for {@code condition} with a deadline, checking every millisecond; fails naming what it waited for. */
    public static void waitUntil(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                throw new AssertionError("Timed out after " + WAIT_MS + " ms waiting for " + what);
            }
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
        }
    }
}
