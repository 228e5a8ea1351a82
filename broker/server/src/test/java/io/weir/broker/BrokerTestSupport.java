package io.weir.broker;

import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.CreateTopicsRequest;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.protocol.ProduceRequest;
import io.weir.common.protocol.ProduceResponse;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Request helpers for tests that talk to a broker through its {@link BrokerApi}. */
public final class BrokerTestSupport {
    private BrokerTestSupport() {}

    public static ByteBuffer batch(long timestamp, String... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        for (String value : values) {
            builder.append(timestamp, null, value.getBytes(StandardCharsets.UTF_8), new Header[0]);
        }
        return builder.build();
    }

    public static void createTopic(BrokerApi api, String name, int partitions, Map<String, String> configs)
            throws Exception {
        var result = api.createTopics(new CreateTopicsRequest(
                        List.of(new CreateTopicsRequest.NewTopicSpec(name, partitions, configs)), false))
                .get(10, TimeUnit.SECONDS)
                .results()
                .get(name);
        if (!result.isSuccess()) {
            throw result.exception();
        }
    }

    public static ProduceResponse.PartitionResponse produce(BrokerApi api, TopicPartition tp, ByteBuffer batch)
            throws Exception {
        return api.produce(new ProduceRequest((short) -1, 10_000, null, Map.of(tp, batch)))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(tp);
    }

    public static FetchResponse.PartitionData fetch(BrokerApi api, TopicPartition tp, long offset) throws Exception {
        Map<TopicPartition, FetchRequest.PartitionFetch> parts = new LinkedHashMap<>();
        parts.put(tp, new FetchRequest.PartitionFetch(offset, 1 << 20));
        return api.fetch(new FetchRequest(0, 1, 1 << 20, IsolationLevel.READ_UNCOMMITTED, parts))
                .get(10, TimeUnit.SECONDS)
                .partitions()
                .get(tp);
    }

    /** Values of every record at or after {@code from} in the fetched batches. */
    public static List<String> values(ByteBuffer batches, long from) {
        List<String> out = new ArrayList<>();
        ByteBuffer buffer = batches.duplicate();
        while (buffer.remaining() >= RecordBatch.HEADER_SIZE) {
            RecordBatch batch = RecordBatch.wrap(buffer);
            for (Record record : batch) {
                if (record.offset() >= from) {
                    out.add(new String(record.valueBytes(), StandardCharsets.UTF_8));
                }
            }
            buffer.position(buffer.position() + batch.sizeInBytes());
        }
        return out;
    }

    /** Every value in the partition from {@code from} to its high watermark. */
    public static List<String> readAll(BrokerApi api, TopicPartition tp, long from) throws Exception {
        List<String> out = new ArrayList<>();
        long next = from;
        while (true) {
            FetchResponse.PartitionData data = fetch(api, tp, next);
            if (!data.error().isSuccess()) {
                throw data.error().exception();
            }
            if (!data.records().hasRemaining()) {
                return out;
            }
            out.addAll(values(data.records(), next));
            ByteBuffer buffer = data.records().duplicate();
            while (buffer.remaining() >= RecordBatch.HEADER_SIZE) {
                RecordBatch batch = RecordBatch.wrap(buffer);
                next = batch.lastOffset() + 1;
                buffer.position(buffer.position() + batch.sizeInBytes());
            }
        }
    }
}
