package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.consumer.Consumer;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptSegmentException;
import io.weir.common.serialization.StringDeserializer;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A batch of the offsets topic damaged while the broker was down, in a rolled segment that a clean open trusts:
 * the broker finds it when it loads the group offsets, and refuses to open naming the partition, the segment
 * file and the byte position of the batch, not just an offset.
 */
class OffsetsTopicCorruptionTest {
    @TempDir
    Path dir;

    private BrokerConfig config() {
        return BrokerConfig.from(Map.of(
                BrokerConfig.LOG_DIRS,
                dir.toString(),
                BrokerConfig.LOG_CLEANER_ENABLE,
                false,
                BrokerConfig.OFFSETS_TOPIC_NUM_PARTITIONS,
                1,
                BrokerConfig.OFFSETS_TOPIC_SEGMENT_BYTES,
                1024));
    }

    @Test
    void loadingACorruptOffsetsBatchNamesItsSegmentFileAndBytePosition() throws Exception {
        TopicPartition input = new TopicPartition("in", 0);
        try (EmbeddedBroker broker = EmbeddedBroker.open(config());
                Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
            admin.createTopics(List.of(new NewTopic("in", 1, Map.of()))).all().get();
            try (Consumer<String, String> consumer = Consumer.create(
                    Map.of(
                            "bootstrap.servers",
                            broker.bootstrapServers(),
                            "group.id",
                            "g",
                            "enable.auto.commit",
                            "false"),
                    new StringDeserializer(),
                    new StringDeserializer())) {
                consumer.assign(List.of(input));
                for (int i = 0; i < 40; i++) {
                    consumer.commitSync(Map.of(input, new OffsetAndMetadata(i, "commit " + i)));
                }
            }
        }
        TopicPartition offsetsPartition = new TopicPartition(OffsetsTopicStore.TOPIC, 0);
        Path partitionDir = dir.resolve(OffsetsTopicStore.TOPIC + "-0");
        Path firstSegment = partitionDir.resolve(String.format("%020d.log", 0));
        try (var segments = Files.list(partitionDir)) {
            assertTrue(segments.filter(p -> p.toString().endsWith(".log")).count() > 1, "the first segment has rolled");
        }
        try (RandomAccessFile raf = new RandomAccessFile(firstSegment.toFile(), "rw")) {
            raf.seek(70); // inside the first batch's records: its CRC fails
            int b = raf.read();
            raf.seek(70);
            raf.write(b ^ 0x20);
        }

        CorruptSegmentException e = assertThrows(CorruptSegmentException.class, () -> EmbeddedBroker.open(config())
                .close());
        assertEquals(firstSegment, e.file());
        assertEquals(0, e.position());
        assertEquals(offsetsPartition, e.topicPartition().orElseThrow());
    }
}
