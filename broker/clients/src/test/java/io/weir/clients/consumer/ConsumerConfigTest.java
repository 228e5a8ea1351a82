package io.weir.clients.consumer;

import static io.weir.clients.internals.ConfigAssertions.assertSameError;
import static io.weir.clients.internals.ConfigAssertions.props;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.IsolationLevel;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class ConsumerConfigTest {

    private static Object definitionDefault(String key) {
        return ConsumerConfig.DEFINITION.defaultValue(key);
    }

    @Test
    void builderRefusesEveryRepeatedSetterNamingTheKey() {
        var e = assertThrows(
                IllegalStateException.class,
                () -> ConsumerConfig.builder().maxPollRecords(10).maxPollRecords(20));
        assertTrue(e.getMessage().contains("max.poll.records"), e.getMessage());
        e = assertThrows(
                IllegalStateException.class,
                () -> ConsumerConfig.builder().groupId("a").groupId("b"));
        assertTrue(e.getMessage().contains("group.id"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ConsumerConfig.builder()
                .isolationLevel(IsolationLevel.READ_COMMITTED)
                .isolationLevel(IsolationLevel.READ_UNCOMMITTED));
        assertTrue(e.getMessage().contains("isolation.level"), e.getMessage());
        e = assertThrows(IllegalStateException.class, () -> ConsumerConfig.builder()
                .group(ConsumerConfig.GroupOptions.DEFAULTS)
                .group(ConsumerConfig.GroupOptions.DEFAULTS));
        assertTrue(e.getMessage().contains("session.timeout.ms"), e.getMessage());
    }

    @Test
    void builderDefaultsAreTheDefinitionsDefaults() {
        ConsumerConfig c =
                ConsumerConfig.builder().bootstrapServers("embedded:x").build();
        assertEquals(definitionDefault(ConsumerConfig.CLIENT_ID), c.clientId());
        assertNull(c.groupId());
        assertEquals(
                definitionDefault(ConsumerConfig.AUTO_OFFSET_RESET),
                c.autoOffsetReset().configName());
        assertEquals(
                definitionDefault(ConsumerConfig.ISOLATION_LEVEL),
                c.isolationLevel().configName());
        assertEquals(definitionDefault(ConsumerConfig.MAX_POLL_RECORDS), c.maxPollRecords());
        assertEquals(definitionDefault(ConsumerConfig.FETCH_MIN_BYTES), c.fetchMinBytes());
        assertEquals(definitionDefault(ConsumerConfig.FETCH_MAX_WAIT_MS), c.fetchMaxWaitMs());
        assertEquals(definitionDefault(ConsumerConfig.FETCH_MAX_BYTES), c.fetchMaxBytes());
        assertEquals(definitionDefault(ConsumerConfig.MAX_PARTITION_FETCH_BYTES), c.maxPartitionFetchBytes());
        assertEquals(definitionDefault(ConsumerConfig.REQUEST_TIMEOUT_MS), c.requestTimeoutMs());
        assertEquals(definitionDefault(ConsumerConfig.DEFAULT_API_TIMEOUT_MS), c.defaultApiTimeoutMs());
        assertEquals(definitionDefault(ConsumerConfig.RETRY_BACKOFF_MS), c.retryBackoffMs());
        assertEquals(definitionDefault(ConsumerConfig.METADATA_MAX_AGE_MS), c.metadataMaxAgeMs());
        assertEquals(definitionDefault(ConsumerConfig.CHECK_CRCS), c.checkCrcs());
        ConsumerConfig.GroupOptions group = c.group();
        assertEquals(definitionDefault(ConsumerConfig.SESSION_TIMEOUT_MS), group.sessionTimeoutMs());
        assertEquals(definitionDefault(ConsumerConfig.HEARTBEAT_INTERVAL_MS), group.heartbeatIntervalMs());
        assertEquals(definitionDefault(ConsumerConfig.MAX_POLL_INTERVAL_MS), group.maxPollIntervalMs());
        assertEquals(definitionDefault(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY), group.assignmentStrategies());
        assertEquals(definitionDefault(ConsumerConfig.AUTO_COMMIT_INTERVAL_MS), group.autoCommitIntervalMs());
        assertEquals(definitionDefault(ConsumerConfig.EXCLUDE_INTERNAL_TOPICS), group.excludeInternalTopics());
        assertFalse(group.enableAutoCommit()); // no group.id
        assertEquals(ConsumerConfig.from(props()).group(), group);
        assertEquals(ConsumerConfig.GroupOptions.DEFAULTS.withEnableAutoCommit(false), group);
    }

    @Test
    void autoCommitIsOnByDefaultWithAGroupAndOffWhenTheGroupOptionsSaySo() {
        assertTrue(ConsumerConfig.builder()
                .bootstrapServers("embedded:x")
                .groupId("g")
                .build()
                .group()
                .enableAutoCommit());
        assertTrue(ConsumerConfig.from(props("group.id", "g")).group().enableAutoCommit());
        ConsumerConfig c = ConsumerConfig.builder()
                .bootstrapServers("embedded:x")
                .groupId("g")
                .group(ConsumerConfig.GroupOptions.DEFAULTS.withEnableAutoCommit(false))
                .build();
        assertFalse(c.group().enableAutoCommit());
        ConsumerConfig.GroupOptions options = new ConsumerConfig.GroupOptions(
                "instance-1", 10_000, 1_000, 20_000, List.of("sticky"), true, 1_000, false);
        assertEquals(
                options,
                ConsumerConfig.builder()
                        .bootstrapServers("embedded:x")
                        .groupId("g")
                        .group(options)
                        .build()
                        .group());
    }

    @Test
    void builderAndPropertiesRefuseABadValueWithTheSameMessage() {
        assertSameError(
                () -> ConsumerConfig.builder().maxPollRecords(0),
                () -> ConsumerConfig.from(props("max.poll.records", "0")));
        assertSameError(
                () -> ConsumerConfig.builder().fetchMaxWaitMs(-1),
                () -> ConsumerConfig.from(props("fetch.max.wait.ms", "-1")));
        assertSameError(
                () -> ConsumerConfig.builder()
                        .bootstrapServers("embedded:x")
                        .requestTimeoutMs(100)
                        .fetchMaxWaitMs(100)
                        .build(),
                () -> ConsumerConfig.from(props("request.timeout.ms", "100", "fetch.max.wait.ms", "100")));
        assertSameError(() -> ConsumerConfig.builder().build(), () -> ConsumerConfig.from(new Properties()));
    }
}
