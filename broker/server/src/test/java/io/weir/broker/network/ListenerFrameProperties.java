package io.weir.broker.network;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.EmbeddedBroker;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Properties;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.JoinGroupRequestData;
import org.apache.kafka.common.message.ListOffsetsRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.MemoryRecords;
import org.apache.kafka.common.record.SimpleRecord;
import org.apache.kafka.common.requests.ApiVersionsResponse;

/**
 * Random frames, and valid frames with bytes flipped, cut or inserted, sent to the listener: no exception escapes
 * the connection's handler (it answers with an error or closes the offender), and a connection opened before them
 * keeps getting its answers after each one.
 */
class ListenerFrameProperties {
    private static final int MAX_REQUEST = 256 * 1024;
    private static final String TOPIC = "fuzzed";

    private static Path dir;
    private static EmbeddedBroker broker;
    private static RawConnection bystander;
    private static final List<LogRecord> escaped = new ArrayList<>();
    private static final Handler CAPTURE = new Handler() {
        @Override
        public void publish(LogRecord record) {
            // An unexpected exception reached the handler's exceptionCaught, or Netty's pipeline tail.
            String msg = String.valueOf(record.getMessage());
            boolean unexpected = msg.contains("after an error")
                    || msg.contains("reached at the tail of the pipeline")
                    || record.getLevel().intValue() >= Level.SEVERE.intValue();
            if (unexpected) {
                synchronized (escaped) {
                    escaped.add(record);
                }
            }
        }

        @Override
        public void flush() {}

        @Override
        public void close() {}
    };
    private static final Logger NETWORK_LOG = Logger.getLogger("io.weir.broker.network");
    private static final Logger NETTY_LOG = Logger.getLogger("io.netty");

    @BeforeContainer
    static void open() throws Exception {
        dir = Files.createTempDirectory("weir-frames-");
        Properties props = new Properties();
        props.put("log.dirs", dir.toString());
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("socket.request.max.bytes", String.valueOf(MAX_REQUEST));
        props.put("auto.create.topics.enable", "false");
        broker = EmbeddedBroker.open(props);
        broker.api()
                .createTopics(new io.weir.common.protocol.CreateTopicsRequest(
                        List.of(new io.weir.common.protocol.CreateTopicsRequest.NewTopicSpec(
                                TOPIC, 1, java.util.Map.of())),
                        false))
                .get();
        NETWORK_LOG.addHandler(CAPTURE);
        NETTY_LOG.addHandler(CAPTURE);
        bystander = new RawConnection(broker.boundPort());
    }

    @AfterContainer
    static void close() throws IOException {
        NETWORK_LOG.removeHandler(CAPTURE);
        NETTY_LOG.removeHandler(CAPTURE);
        bystander.close();
        broker.close();
        io.weir.broker.internals.log.LogFiles.deleteRecursively(dir);
    }

    @Property(tries = 300)
    void noFrameDisturbsAnotherConnection(@ForAll("frames") byte[] frame) throws Exception {
        try (RawConnection offender = new RawConnection(broker.boundPort())) {
            offender.sendRaw(frame);
            // Whatever the answer, or none: the offender goes away, answered or not.
        } catch (IOException brokerClosedFirst) {
            // the broker may close the offender while it is still writing: that is a fine outcome
        }
        ApiVersionsResponse answer = (ApiVersionsResponse) bystander.call(
                ApiKeys.API_VERSIONS,
                (short) 3,
                new ApiVersionsRequestData().setClientSoftwareName("bystander").setClientSoftwareVersion("1"));
        assertEquals(Errors.NONE.code(), answer.data().errorCode());
        synchronized (escaped) {
            assertTrue(escaped.isEmpty(), () -> "escaped: " + describe(escaped));
        }
    }

    private static String describe(List<LogRecord> records) {
        StringBuilder out = new StringBuilder();
        for (LogRecord r : records) {
            out.append(r.getLevel())
                    .append(' ')
                    .append(r.getMessage())
                    .append(' ')
                    .append(r.getThrown())
                    .append('\n');
        }
        return out.toString();
    }

    @Provide
    Arbitrary<byte[]> frames() {
        return Arbitraries.oneOf(randomFrames(), mutatedFrames());
    }

    private static Arbitrary<byte[]> randomFrames() {
        return Arbitraries.bytes()
                .array(byte[].class)
                .ofMinSize(0)
                .ofMaxSize(200)
                .map(payload -> {
                    ByteBuffer frame = ByteBuffer.allocate(4 + payload.length);
                    return frame.putInt(payload.length).put(payload).array();
                });
    }

    private static Arbitrary<byte[]> mutatedFrames() {
        Arbitrary<byte[]> valid = Arbitraries.of(validFrames());
        Arbitrary<Integer> positions = Arbitraries.integers().between(0, Integer.MAX_VALUE);
        Arbitrary<Byte> bytes = Arbitraries.bytes();
        Arbitrary<Integer> kind = Arbitraries.integers().between(0, 3);
        return Combinators.combine(valid, kind, positions, bytes).as((frame, k, pos, b) -> {
            byte[] payload = Arrays.copyOfRange(frame, 4, frame.length);
            int at = pos % Math.max(1, payload.length);
            int lie = k == 3 ? b % 8 : 0; // a size prefix that disagrees with the bytes sent
            byte[] mutated =
                    switch (k) {
                        case 0 -> { // flip one byte
                            payload[at] ^= (byte) (b == 0 ? 1 : b);
                            yield payload;
                        }
                        case 1 -> Arrays.copyOf(payload, at); // cut short
                        case 2 -> { // insert a byte
                            byte[] longer = new byte[payload.length + 1];
                            System.arraycopy(payload, 0, longer, 0, at);
                            longer[at] = b;
                            System.arraycopy(payload, at, longer, at + 1, payload.length - at);
                            yield longer;
                        }
                        default -> payload;
                    };
            return ByteBuffer.allocate(4 + mutated.length)
                    .putInt(mutated.length + lie)
                    .put(mutated)
                    .array();
        });
    }

    private static List<byte[]> validFrames() {
        MemoryRecords records =
                MemoryRecords.withRecords(Compression.NONE, new SimpleRecord("k".getBytes(), "v".getBytes()));
        ProduceRequestData produce = new ProduceRequestData().setAcks((short) 1).setTimeoutMs(1000);
        ProduceRequestData.TopicProduceData topic = new ProduceRequestData.TopicProduceData().setName(TOPIC);
        topic.partitionData()
                .add(new ProduceRequestData.PartitionProduceData().setIndex(0).setRecords(records));
        produce.topicData().add(topic);
        FetchRequestData fetch =
                new FetchRequestData().setMaxWaitMs(10).setMinBytes(1).setMaxBytes(1 << 20);
        fetch.topics()
                .add(new FetchRequestData.FetchTopic()
                        .setTopic(TOPIC)
                        .setPartitions(List.of(new FetchRequestData.FetchPartition()
                                .setPartition(0)
                                .setFetchOffset(0)
                                .setPartitionMaxBytes(1 << 20))));
        ListOffsetsRequestData listOffsets = new ListOffsetsRequestData().setReplicaId(-1);
        listOffsets
                .topics()
                .add(new ListOffsetsRequestData.ListOffsetsTopic()
                        .setName(TOPIC)
                        .setPartitions(List.of(new ListOffsetsRequestData.ListOffsetsPartition().setTimestamp(-1L))));
        JoinGroupRequestData join = new JoinGroupRequestData()
                .setGroupId("fuzz")
                .setSessionTimeoutMs(10_000)
                .setRebalanceTimeoutMs(100)
                .setMemberId("")
                .setProtocolType("consumer");
        join.protocols()
                .add(new JoinGroupRequestData.JoinGroupRequestProtocol()
                        .setName("range")
                        .setMetadata(new byte[4]));
        return List.of(
                RawConnection.frame(
                        ApiKeys.API_VERSIONS,
                        (short) 3,
                        1,
                        new ApiVersionsRequestData()
                                .setClientSoftwareName("fuzz")
                                .setClientSoftwareVersion("1")),
                RawConnection.frame(ApiKeys.METADATA, (short) 12, 2, new MetadataRequestData().setTopics(null)),
                RawConnection.frame(ApiKeys.PRODUCE, (short) 9, 3, produce),
                RawConnection.frame(ApiKeys.FETCH, (short) 12, 4, fetch),
                RawConnection.frame(ApiKeys.LIST_OFFSETS, (short) 7, 5, listOffsets),
                RawConnection.frame(
                        ApiKeys.FIND_COORDINATOR,
                        (short) 4,
                        6,
                        new FindCoordinatorRequestData().setKeyType((byte) 0).setCoordinatorKeys(List.of("fuzz"))),
                RawConnection.frame(ApiKeys.JOIN_GROUP, (short) 9, 7, join));
    }
}
