package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.CleanupPolicy;
import io.weir.broker.LogConfig;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.utils.MockTime;
import io.weir.transactions.ProducerStateConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link LogManager#alterTopicConfig}: validated whole, written durably, then in effect on every partition's log. */
class LogManagerTopicConfigTest {
    @TempDir
    Path dir;

    private final MockTime time = new MockTime();
    private LogManager logs;

    private LogManager open() {
        logs = LogManager.open(dir, LogConfig.DEFAULTS, ProducerStateConfig.DEFAULT, time);
        return logs;
    }

    @AfterEach
    void close() {
        if (logs != null) {
            logs.close();
        }
    }

    private static java.util.function.UnaryOperator<Map<String, String>> set(String key, String value) {
        return overrides -> {
            Map<String, String> next = new HashMap<>(overrides);
            next.put(key, value);
            return next;
        };
    }

    @Test
    void aMissingPartitionOrTopicCarriesTopicAndPartitionAsFields() {
        open().createTopic("t", 2, Map.of());

        UnknownTopicOrPartitionException partition =
                assertThrows(UnknownTopicOrPartitionException.class, () -> logs.log(new TopicPartition("t", 2)));
        UnknownTopicOrPartitionException topic =
                assertThrows(UnknownTopicOrPartitionException.class, () -> logs.log(new TopicPartition("nope", 0)));

        assertEquals("t", partition.topic());
        assertEquals(2, partition.partition());
        assertTrue(partition.getMessage().contains("the topic has 2 partitions (0..1)"), partition.getMessage());
        assertEquals("nope", topic.topic());
        assertEquals(-1, topic.partition(), "the whole topic is missing");
    }

    @Test
    void alterationReachesEveryPartitionsLogIncludingOnesAddedLater() {
        open().createTopic("t", 2, Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "4096"));

        LogConfig altered = logs.alterTopicConfig("t", set(TopicConfig.RETENTION_MS_CONFIG, "60000"));

        assertEquals(60_000, altered.retentionMs());
        assertEquals(4096, altered.segmentBytes(), "the other overrides stay");
        for (int p = 0; p < 2; p++) {
            assertEquals(altered, logs.log(new TopicPartition("t", p)).config());
        }
        logs.createPartitions("t", 3);
        assertEquals(altered, logs.log(new TopicPartition("t", 2)).config());
        assertEquals(
                Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, "4096", TopicConfig.RETENTION_MS_CONFIG, "60000"),
                logs.topicMetadata("t").overrides());
    }

    @Test
    void alterationSurvivesAReopenAfterACrash() {
        open().createTopic("t", 1, Map.of());
        logs.alterTopicConfig("t", set(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"));
        logs.crash();

        LogConfig reopened = open().log(new TopicPartition("t", 0)).config();

        assertEquals(CleanupPolicy.COMPACT_DELETE, reopened.cleanupPolicy());
        assertEquals(
                Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"),
                logs.topicMetadata("t").overrides());
    }

    @Test
    void refusedAlterationChangesNeitherTheLogsNorTheMetadataFile() throws Exception {
        open().createTopic("t", 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "1000"));
        Path metadata = dir.resolve("meta").resolve("topics");
        String before = Files.readString(metadata);
        LogConfig config = logs.log(new TopicPartition("t", 0)).config();

        InvalidConfigurationException e = assertThrows(
                InvalidConfigurationException.class,
                () -> logs.alterTopicConfig("t", set(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "2")));

        assertTrue(
                e.getMessage().contains("'t'") && e.getMessage().contains(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG),
                e.getMessage());
        assertEquals(before, Files.readString(metadata));
        assertEquals(config, logs.log(new TopicPartition("t", 0)).config());
        assertEquals(
                Map.of(TopicConfig.RETENTION_MS_CONFIG, "1000"),
                logs.topicMetadata("t").overrides());
    }

    @Test
    void validationAloneChangesNothing() throws Exception {
        open().createTopic("t", 1, Map.of());
        String before = Files.readString(dir.resolve("meta").resolve("topics"));

        LogConfig wouldBe = logs.validateTopicConfigChange("t", set(TopicConfig.RETENTION_MS_CONFIG, "5"));

        assertEquals(5, wouldBe.retentionMs());
        assertEquals(before, Files.readString(dir.resolve("meta").resolve("topics")));
        assertEquals(LogConfig.DEFAULTS, logs.log(new TopicPartition("t", 0)).config());
    }

    @Test
    void unknownTopicIsRefused() {
        assertThrows(UnknownTopicOrPartitionException.class, () -> open().alterTopicConfig(
                        "nope", set(TopicConfig.RETENTION_MS_CONFIG, "5")));
    }
}
