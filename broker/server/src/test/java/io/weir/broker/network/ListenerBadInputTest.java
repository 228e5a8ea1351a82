package io.weir.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.List;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.DescribeAclsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.AbstractResponse;
import org.apache.kafka.common.requests.ApiVersionsResponse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Bad input from the network: each offender gets Kafka's error code or a closed connection, and the broker keeps
 * serving a well-behaved connection opened before the offence.
 */
class ListenerBadInputTest {
    private static final int MAX_REQUEST = 64 * 1024;

    @TempDir
    static Path dir;

    static ListenerFixture weir;
    static RawConnection bystander;

    @BeforeAll
    static void open() throws Exception {
        Properties props = new Properties();
        props.put("socket.request.max.bytes", String.valueOf(MAX_REQUEST));
        weir = new ListenerFixture(dir, props);
        bystander = new RawConnection(weir.broker.boundPort());
        assertBystanderServed();
    }

    @AfterAll
    static void close() throws Exception {
        bystander.close();
        weir.close();
    }

    /** The connection opened before every offence still gets its answers. */
    private static void assertBystanderServed() throws Exception {
        AbstractResponse answer = bystander.call(
                ApiKeys.API_VERSIONS,
                (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("bystander").setClientSoftwareVersion("1"));
        assertEquals(Errors.NONE.code(), ((ApiVersionsResponse) answer).data().errorCode());
    }

    private static RawConnection connect() throws Exception {
        return new RawConnection(weir.broker.boundPort());
    }

    @Test
    void frameOverSocketRequestMaxBytesClosesTheConnection() throws Exception {
        try (RawConnection offender = connect()) {
            offender.sendRaw(ByteBuffer.allocate(4).putInt(MAX_REQUEST + 1).array());
            assertTrue(offender.closedByBroker(5000));
        }
        assertBystanderServed();
    }

    @Test
    void requestTooShortForAHeaderClosesTheConnection() throws Exception {
        try (RawConnection offender = connect()) {
            offender.sendRaw(new byte[] {0, 0, 0, 3, 0, 18, 0});
            assertTrue(offender.closedByBroker(5000));
        }
        assertBystanderServed();
    }

    @Test
    void malformedBodyClosesTheConnection() throws Exception {
        byte[] frame = RawConnection.frame(ApiKeys.METADATA, (short) 12, 7, new MetadataRequestData());
        // Cut the body short, and fix the size prefix so the frame itself is whole.
        byte[] cut = java.util.Arrays.copyOf(frame, frame.length - 2);
        ByteBuffer.wrap(cut).putInt(0, cut.length - 4);
        try (RawConnection offender = connect()) {
            offender.sendRaw(cut);
            assertTrue(offender.closedByBroker(5000));
        }
        assertBystanderServed();
    }

    @Test
    void unknownApiKeyClosesTheConnection() throws Exception {
        ByteBuffer frame = ByteBuffer.allocate(4 + 10);
        frame.putInt(10).putShort((short) 999).putShort((short) 0).putInt(1).putShort((short) -1);
        try (RawConnection offender = connect()) {
            offender.sendRaw(frame.array());
            assertTrue(offender.closedByBroker(5000));
        }
        assertBystanderServed();
    }

    @Test
    void apiWeirDoesNotServeIsAnsweredUnsupportedVersion() throws Exception {
        try (RawConnection client = connect()) {
            AbstractResponse answer = client.call(
                    ApiKeys.DESCRIBE_ACLS,
                    (short) 3,
                    new DescribeAclsRequestData()
                            .setResourceTypeFilter((byte) 1)
                            .setPatternTypeFilter((byte) 1)
                            .setOperation((byte) 1)
                            .setPermissionType((byte) 1));
            assertEquals(1, answer.errorCounts().getOrDefault(Errors.UNSUPPORTED_VERSION, 0));
            // The connection stays open: the next request on it is answered.
            client.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of()));
        }
    }

    @Test
    void apiVersionsNewerThanServedIsAnsweredWithV0AndTheServedVersions() throws Exception {
        try (RawConnection client = connect()) {
            ByteBuffer frame = ByteBuffer.allocate(4 + 12);
            // ApiVersions v9, header v2: key, version, correlation id, client id (null), no tagged fields.
            frame.putInt(12).putShort((short) 18).putShort((short) 9).putInt(42).putShort((short) -1);
            frame.put((byte) 0).put((byte) 0);
            client.sendRaw(frame.array());
            ByteBuffer answer = client.readFrame();
            assertEquals(42, answer.getInt());
            ApiVersionsResponseData data = new ApiVersionsResponseData(
                    new org.apache.kafka.common.protocol.ByteBufferAccessor(answer), (short) 0);
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), data.errorCode());
            assertTrue(data.apiKeys().find(ApiKeys.PRODUCE.id) != null);
        }
    }

    @Test
    void batchWhoseCrcFailsIsAnsweredCorruptMessageAndNothingIsWritten() throws Exception {
        String topic = ListenerFixture.unique("crc");
        weir.createTopic(topic, 1);
        MemoryRecords records =
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        ByteBuffer bytes = records.buffer().duplicate();
        int last = bytes.limit() - 1;
        bytes.put(last, (byte) (bytes.get(last) ^ 0x5A)); // a payload byte: the CRC no longer matches
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produceErrorCode(topic, MemoryRecords.readableRecords(bytes)));
        assertNothingWritten(topic);
        assertBystanderServed();
    }

    @Test
    void compressedBatchInflatingPastTheCapIsAnsweredCorruptMessageAndNothingIsWritten() throws Exception {
        String topic = ListenerFixture.unique("bomb");
        try (Admin admin = weir.admin()) {
            admin.createTopics(List.of(
                            new NewTopic(topic, 1, (short) 1).configs(java.util.Map.of("cleanup.policy", "compact"))))
                    .all()
                    .get();
        }
        // 64 MiB of zeros in a few KiB of zstd: a compacted topic's validator must read every record's key.
        MemoryRecords bomb = MemoryRecords.withRecords(
                Compression.zstd().build(),
                new SimpleRecord(
                        "k".getBytes(), new byte[io.weir.common.record.CompressionCodec.MAX_DECOMPRESSED_BYTES]));
        assertTrue(bomb.sizeInBytes() < MAX_REQUEST, "the bomb fits one request: " + bomb.sizeInBytes());
        assertEquals(Errors.CORRUPT_MESSAGE.code(), produceErrorCode(topic, bomb));
        assertNothingWritten(topic);
        assertBystanderServed();
    }

    /** Produces {@code records} to partition 0 of {@code topic} with acks=all and returns the partition's code. */
    private static short produceErrorCode(String topic, MemoryRecords records) throws Exception {
        ProduceRequestData produce =
                new ProduceRequestData().setAcks((short) -1).setTimeoutMs(5000);
        ProduceRequestData.TopicProduceData data = new ProduceRequestData.TopicProduceData().setName(topic);
        data.partitionData()
                .add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        produce.topicData().add(data);
        try (RawConnection client = connect()) {
            ProduceResponseData answer = (ProduceResponseData)
                    client.call(ApiKeys.PRODUCE, (short) 9, produce).data();
            return answer.responses()
                    .iterator()
                    .next()
                    .partitionResponses()
                    .get(0)
                    .errorCode();
        }
    }

    private static void assertNothingWritten(String topic) throws Exception {
        try (Admin admin = weir.admin()) {
            TopicPartition tp = new TopicPartition(topic, 0);
            assertEquals(
                    0,
                    admin.listOffsets(java.util.Map.of(tp, OffsetSpec.latest()))
                            .partitionResult(tp)
                            .get()
                            .offset());
        }
    }

    @Test
    void clientThatSendsNothingIsClosedAfterConnectionsMaxIdleMsWhileOthersAreServed() throws Exception {
        Properties props = new Properties();
        props.put("connections.max.idle.ms", "300");
        try (ListenerFixture idleBroker = new ListenerFixture(dir.resolve("idle"), props);
                RawConnection silent = new RawConnection(idleBroker.broker.boundPort())) {
            try (RawConnection other = new RawConnection(idleBroker.broker.boundPort())) {
                other.call(ApiKeys.METADATA, (short) 12, new MetadataRequestData().setTopics(List.of()));
            }
            assertTrue(silent.closedByBroker(10_000), "closed within two idle periods");
        }
    }

    @Test
    void frameOfExactlySocketRequestMaxBytesIsServed() throws Exception {
        // A Metadata request for topics that do not exist, the last name sized so that what follows the size
        // prefix is exactly the limit.
        List<String> names = new java.util.ArrayList<>();
        names.add("x");
        while (MAX_REQUEST - sizeAfterPrefix(names) > 240) {
            names.add(0, String.format("%0200d", names.size()));
        }
        int last = names.size() - 1;
        while (sizeAfterPrefix(names) != MAX_REQUEST) {
            int length = names.get(last).length() + MAX_REQUEST - sizeAfterPrefix(names);
            assertTrue(length >= 1 && length <= 249, "no name length fits: " + length);
            names.set(last, "x".repeat(length));
        }
        byte[] frame = RawConnection.frame(ApiKeys.METADATA, (short) 12, 1, metadataFor(names));
        try (RawConnection client = connect()) {
            client.sendRaw(frame);
            ByteBuffer answer = client.readFrame();
            assertEquals(1, answer.getInt(), "answered, not closed");
        }
    }

    private static int sizeAfterPrefix(List<String> topics) {
        return RawConnection.frame(ApiKeys.METADATA, (short) 12, 1, metadataFor(topics)).length - 4;
    }

    private static MetadataRequestData metadataFor(List<String> topics) {
        MetadataRequestData data = new MetadataRequestData().setAllowAutoTopicCreation(false);
        for (String topic : topics) {
            data.topics().add(new MetadataRequestData.MetadataRequestTopic().setName(topic));
        }
        return data;
    }

    @Test
    void clientThatDisconnectsMidRequestLeavesTheBrokerServing() throws Exception {
        byte[] frame = RawConnection.frame(ApiKeys.METADATA, (short) 12, 1, new MetadataRequestData());
        try (RawConnection quitter = connect()) {
            quitter.sendRaw(java.util.Arrays.copyOf(frame, frame.length / 2));
        }
        assertBystanderServed();
    }
}
