package io.weir.broker.network;

import static io.weir.broker.network.ListenerFixture.pollUntil;
import static io.weir.broker.network.ListenerFixture.unique;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.network.internals.FileFetch;
import io.weir.broker.network.internals.KafkaListener;
import io.weir.common.IsolationLevel;
import io.weir.common.TopicPartition;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.BrokerApi;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.record.FileBatches;
import java.lang.reflect.Proxy;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Fetch answers whose batches the listener sends from the segment files ({@link FileFetch}, {@code sendfile}): the
 * same records reach a KafkaConsumer under both isolation levels, and a segment closed before its bytes were sent
 * closes only that connection.
 */
class ZeroCopyFetchTest {
    @TempDir
    Path dir;

    @Test
    void consumersReadExactlyTheRecordsSentFromSegmentFilesUnderBothIsolationLevels() throws Exception {
        try (ListenerFixture weir = new ListenerFixture(dir)) {
            String topic = unique("zero-copy");
            weir.createTopic(topic, 1);
            List<String> committed = new ArrayList<>();
            try (KafkaProducer<String, String> plain = weir.producer(new Properties())) {
                for (int i = 0; i < 50; i++) {
                    plain.send(new ProducerRecord<>(topic, "k", "plain-" + i));
                    committed.add("plain-" + i);
                }
                plain.flush();
            }
            try (KafkaProducer<String, String> producer =
                    weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx")))) {
                producer.initTransactions();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "committed-1"));
                producer.commitTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "aborted"));
                producer.flush();
                producer.abortTransaction();
                producer.beginTransaction();
                producer.send(new ProducerRecord<>(topic, "k", "committed-2"));
                producer.commitTransaction();
            }
            committed.addAll(List.of("committed-1", "committed-2"));

            // The broker's answer leaves the partition's batches in its segment file, aborted transaction listed —
            // once the last commit's marker has landed (a commit returns before it does; until then the last stable
            // offset is below the high watermark and the read rightly goes through the heap).
            TopicPartition tp = new TopicPartition(topic, 0);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            FileFetch.Fetched fetched;
            do {
                fetched = ((FileFetch) weir.broker.api())
                        .fetchToFile(new FetchRequest(
                                0,
                                0,
                                1 << 20,
                                IsolationLevel.READ_COMMITTED,
                                Map.of(tp, new FetchRequest.PartitionFetch(0, 1 << 20))))
                        .get(10, TimeUnit.SECONDS);
            } while (!fetched.onDisk().containsKey(tp) && System.nanoTime() < deadline);
            assertTrue(fetched.onDisk().containsKey(tp), "read_committed with nothing unstable reads a file slice");
            assertEquals(
                    1,
                    fetched.response()
                            .partitions()
                            .get(tp)
                            .abortedTransactions()
                            .size());

            assertEquals(committed, values(weir, topic, "read_committed", committed.size()));
            List<String> all = new ArrayList<>(committed);
            all.add(all.size() - 1, "aborted");
            assertEquals(all, values(weir, topic, "read_uncommitted", all.size()));
        }
    }

    @Test
    void readCommittedReadsIntoTheHeapWhileATransactionIsOpenAndFromTheFileOnceItEnds() throws Exception {
        try (ListenerFixture weir = new ListenerFixture(dir)) {
            String topic = unique("open-txn");
            weir.createTopic(topic, 1);
            TopicPartition tp = new TopicPartition(topic, 0);
            FetchRequest readCommitted = new FetchRequest(
                    0,
                    0,
                    1 << 20,
                    IsolationLevel.READ_COMMITTED,
                    Map.of(tp, new FetchRequest.PartitionFetch(0, 1 << 20)));
            try (KafkaProducer<String, String> plain = weir.producer(new Properties());
                    KafkaProducer<String, String> txn =
                            weir.producer(props(ProducerConfig.TRANSACTIONAL_ID_CONFIG, unique("tx")))) {
                plain.send(new ProducerRecord<>(topic, "k", "before")).get();
                txn.initTransactions();
                txn.beginTransaction();
                txn.send(new ProducerRecord<>(topic, "k", "in-transaction")).get();
                plain.send(new ProducerRecord<>(topic, "k", "after")).get();

                FileFetch.Fetched open = ((FileFetch) weir.broker.api())
                        .fetchToFile(readCommitted)
                        .get(10, TimeUnit.SECONDS);
                assertFalse(open.onDisk().containsKey(tp), "the last stable offset cuts the bytes: read into the heap");
                FetchResponse.PartitionData data = open.response().partitions().get(tp);
                assertEquals(1, data.lastStableOffset());
                assertTrue(data.records().hasRemaining(), "the batch before the open transaction");

                txn.commitTransaction();
            }
            assertEquals(List.of("before", "in-transaction", "after"), values(weir, topic, "read_committed", 3));
        }
    }

    @Test
    void aSegmentClosedBeforeItsBatchesAreSentClosesOnlyThatConnection() throws Exception {
        Path file = dir.resolve("00000000000000000000.log");
        Files.write(file, new byte[4096]);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.READ);
        channel.close(); // as a deleted segment's channel is, file.delete.delay.ms after it left the log
        TopicPartition tp = new TopicPartition("t", 0);
        FileFetch.Fetched answer = new FileFetch.Fetched(
                new FetchResponse(Map.of(
                        tp,
                        new FetchResponse.PartitionData(ApiError.NONE, 5, 5, 0, ByteBuffer.allocate(0), List.of()))),
                Map.of(tp, new FileBatches(channel, file, 0, 4096, 5)));
        BrokerApi broker = (BrokerApi) Proxy.newProxyInstance(
                BrokerApi.class.getClassLoader(),
                new Class<?>[] {BrokerApi.class, FileFetch.class},
                (proxy, method, args) -> {
                    if (!method.getName().equals("fetchToFile")) {
                        throw new UnsupportedOperationException(method.getName());
                    }
                    return CompletableFuture.completedFuture(answer);
                });
        ListenerConfig config = ListenerConfig.parse(List.of("PLAINTEXT://127.0.0.1:0"), List.of(), 1 << 20);
        try (KafkaListener listener = KafkaListener.start(config, broker, 0, "zero-copy-test");
                RawConnection other = new RawConnection(listener.boundAddress().getPort());
                RawConnection fetcher =
                        new RawConnection(listener.boundAddress().getPort())) {
            FetchRequestData fetch = new FetchRequestData()
                    .setMaxWaitMs(0)
                    .setMinBytes(0)
                    .setMaxBytes(1 << 20)
                    .setTopics(List.of(new FetchRequestData.FetchTopic()
                            .setTopic("t")
                            .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                    .setPartition(0)
                                    .setFetchOffset(0)
                                    .setPartitionMaxBytes(1 << 20)))));
            fetcher.sendRaw(RawConnection.frame(ApiKeys.FETCH, (short) 12, 1, fetch));

            assertTrue(fetcher.closedByBroker(10_000), "the connection whose answer lost its segment is closed");
            ApiVersionsResponse versions = (ApiVersionsResponse) other.call(
                    ApiKeys.API_VERSIONS,
                    (short) 3,
                    new ApiVersionsRequestData().setClientSoftwareName("t").setClientSoftwareVersion("1"));
            assertEquals(Errors.NONE.code(), versions.data().errorCode(), "another connection is still served");
        }
    }

    private static List<String> values(ListenerFixture weir, String topic, String isolation, int count) {
        try (KafkaConsumer<String, String> consumer =
                weir.consumer(props(ConsumerConfig.ISOLATION_LEVEL_CONFIG, isolation))) {
            consumer.assign(List.of(new org.apache.kafka.common.TopicPartition(topic, 0)));
            List<String> values = new ArrayList<>();
            for (ConsumerRecord<String, String> r : pollUntil(consumer, count, Duration.ofSeconds(20))) {
                values.add(r.value());
            }
            return values;
        }
    }

    private static Properties props(String key, String value) {
        Properties p = new Properties();
        p.put(key, value);
        return p;
    }
}
