package io.weir.clients.admin.internals;

import static io.weir.broker.BrokerTestSupport.batch;
import static io.weir.broker.BrokerTestSupport.produce;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.broker.LogConfig;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AlterConfigOp;
import io.weir.clients.admin.AlterConfigOp.OpType;
import io.weir.clients.admin.AlterConfigsOptions;
import io.weir.clients.admin.Config;
import io.weir.clients.admin.ConfigEntry;
import io.weir.clients.admin.ConfigEntry.ConfigSource;
import io.weir.clients.admin.NewTopic;
import io.weir.clients.admin.OffsetSpec;
import io.weir.common.TopicPartition;
import io.weir.common.config.ConfigResource;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidRequestException;
import io.weir.common.errors.UnknownTopicOrPartitionException;
import io.weir.common.protocol.Errors;
import io.weir.common.utils.MockTime;
import io.weir.common.utils.Time;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Admin's describeConfigs and incrementalAlterConfigs for topics, against a real embedded broker. */
class AdminConfigsTest {
    private static final long WAIT_SECONDS = 30;
    /** Set on every broker of these tests, so its topics' retention.bytes shows the broker's setting as source. */
    private static final String BROKER_RETENTION_BYTES = "1000000";

    private static final String KAFKA_RETENTION_MS = Long.toString(LogConfig.DEFAULTS.retentionMs());

    @TempDir
    Path dir;

    private EmbeddedBroker broker;
    private Admin admin;

    @BeforeEach
    void open() {
        start(Map.of(), Time.SYSTEM);
    }

    @AfterEach
    void close() {
        admin.close();
        broker.close();
    }

    /** (Re)starts the broker on this test's directory. */
    private void start(Map<String, Object> extra, Time time) {
        Map<String, Object> props = new LinkedHashMap<>(extra);
        props.put(BrokerConfig.LOG_DIRS, dir.toString());
        props.put(BrokerConfig.LOG_RETENTION_BYTES, BROKER_RETENTION_BYTES);
        broker = EmbeddedBroker.open(BrokerConfig.from(props), time);
        admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()));
    }

    private static ConfigResource topic(String name) {
        return new ConfigResource(ConfigResource.Type.TOPIC, name);
    }

    private static AlterConfigOp op(OpType type, String key, String value) {
        return new AlterConfigOp(new ConfigEntry(key, value), type);
    }

    private static <T> T await(CompletableFuture<T> future) throws Exception {
        return future.get(WAIT_SECONDS, TimeUnit.SECONDS);
    }

    private static Throwable failure(CompletableFuture<?> future) {
        return assertThrows(ExecutionException.class, () -> future.get(WAIT_SECONDS, TimeUnit.SECONDS))
                .getCause();
    }

    private void createTopic(String name, int partitions, Map<String, String> configs) throws Exception {
        await(admin.createTopics(List.of(new NewTopic(name, partitions, configs)))
                .all());
    }

    private Config describe(String topic) throws Exception {
        return await(admin.describeConfigs(List.of(topic(topic))).values().get(topic(topic)));
    }

    private CompletableFuture<Void> alter(String topic, AlterConfigOp... ops) {
        return admin.incrementalAlterConfigs(Map.of(topic(topic), List.of(ops)))
                .values()
                .get(topic(topic));
    }

    private static Set<String> policies(Config config) {
        return Set.of(config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value().split(","));
    }

    // ---- describe -----------------------------------------------------------------------------------------

    @Test
    void describeShowsEveryTopicKeyWithItsEffectiveValueAndSource() throws Exception {
        createTopic("t", 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "3600000"));

        Config config = describe("t");

        assertEquals(
                LogConfig.DEFAULTS.toMap().keySet(),
                Set.copyOf(config.entries().stream().map(ConfigEntry::name).toList()));
        ConfigEntry override = config.get(TopicConfig.RETENTION_MS_CONFIG);
        assertEquals("3600000", override.value());
        assertEquals(ConfigSource.DYNAMIC_TOPIC_CONFIG, override.source());
        assertFalse(override.isDefault() || override.isReadOnly() || override.isSensitive());
        ConfigEntry brokerSetting = config.get(TopicConfig.RETENTION_BYTES_CONFIG);
        assertEquals(BROKER_RETENTION_BYTES, brokerSetting.value());
        assertEquals(ConfigSource.STATIC_BROKER_CONFIG, brokerSetting.source());
        ConfigEntry kafkaDefault = config.get(TopicConfig.SEGMENT_BYTES_CONFIG);
        assertEquals(Integer.toString(LogConfig.DEFAULTS.segmentBytes()), kafkaDefault.value());
        assertEquals(ConfigSource.DEFAULT_CONFIG, kafkaDefault.source());
        assertTrue(kafkaDefault.isDefault());
        assertEquals("delete", config.get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
        assertNull(config.get("no.such.key"));
    }

    @Test
    void unknownTopicFailsOnlyItsOwnResource() throws Exception {
        createTopic("t", 1, Map.of());

        var described =
                admin.describeConfigs(List.of(topic("t"), topic("nope"))).values();
        var altered = admin.incrementalAlterConfigs(Map.of(
                        topic("t"),
                        List.of(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1000")),
                        topic("nope"),
                        List.of(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1000"))))
                .values();

        assertEquals(
                LogConfig.DEFAULTS.toMap().size(),
                await(described.get(topic("t"))).entries().size());
        Throwable e = failure(described.get(topic("nope")));
        assertInstanceOf(UnknownTopicOrPartitionException.class, e);
        assertTrue(e.getMessage().contains("nope"), e.getMessage());
        assertNull(await(altered.get(topic("t"))));
        assertInstanceOf(UnknownTopicOrPartitionException.class, failure(altered.get(topic("nope"))));
    }

    // ---- SET and DELETE -----------------------------------------------------------------------------------

    @Test
    void setOverridesTheKeyAndDescribeShowsIt() throws Exception {
        createTopic("t", 1, Map.of());

        await(alter(
                "t",
                op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "60000"),
                op(OpType.SET, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, "2000")));

        Config config = describe("t");
        assertEquals("60000", config.get(TopicConfig.RETENTION_MS_CONFIG).value());
        assertEquals(
                ConfigSource.DYNAMIC_TOPIC_CONFIG,
                config.get(TopicConfig.RETENTION_MS_CONFIG).source());
        assertEquals("2000", config.get(TopicConfig.MAX_MESSAGE_BYTES_CONFIG).value());
        assertEquals(
                "60000",
                await(admin.describeTopics(List.of("t")).all())
                        .get("t")
                        .configs()
                        .get(TopicConfig.RETENTION_MS_CONFIG));
    }

    @Test
    void deleteRevertsTheKeyToItsDefault() throws Exception {
        createTopic(
                "t", 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "60000", TopicConfig.RETENTION_BYTES_CONFIG, "5000"));

        await(alter(
                "t",
                op(OpType.DELETE, TopicConfig.RETENTION_MS_CONFIG, null),
                op(OpType.DELETE, TopicConfig.RETENTION_BYTES_CONFIG, null),
                op(OpType.DELETE, TopicConfig.SEGMENT_MS_CONFIG, null)));

        Config config = describe("t");
        assertEquals(
                KAFKA_RETENTION_MS, config.get(TopicConfig.RETENTION_MS_CONFIG).value());
        assertEquals(
                ConfigSource.DEFAULT_CONFIG,
                config.get(TopicConfig.RETENTION_MS_CONFIG).source());
        assertEquals(
                BROKER_RETENTION_BYTES,
                config.get(TopicConfig.RETENTION_BYTES_CONFIG).value(),
                "back to the broker's setting");
        assertEquals(
                ConfigSource.STATIC_BROKER_CONFIG,
                config.get(TopicConfig.RETENTION_BYTES_CONFIG).source());
        assertEquals(
                ConfigSource.DEFAULT_CONFIG,
                config.get(TopicConfig.SEGMENT_MS_CONFIG).source(),
                "deleting a key never set is a no-op");
    }

    // ---- APPEND and SUBTRACT ------------------------------------------------------------------------------

    @Test
    void appendAndSubtractEditCleanupPolicyAsAList() throws Exception {
        createTopic("t", 1, Map.of());

        await(alter("t", op(OpType.APPEND, TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));
        Config both = describe("t");
        assertEquals(Set.of("delete", "compact"), policies(both), "appended to the default");
        assertEquals(
                ConfigSource.DYNAMIC_TOPIC_CONFIG,
                both.get(TopicConfig.CLEANUP_POLICY_CONFIG).source());

        await(alter("t", op(OpType.APPEND, TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));
        assertEquals(both, describe("t"), "an element already present is not added twice");

        await(alter("t", op(OpType.SUBTRACT, TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));
        assertEquals(
                "compact", describe("t").get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
    }

    @Test
    void appendOrSubtractOnAKeyThatIsNotAListIsRefused() throws Exception {
        createTopic("t", 1, Map.of(TopicConfig.RETENTION_MS_CONFIG, "60000"));

        for (OpType type : List.of(OpType.APPEND, OpType.SUBTRACT)) {
            Throwable e = failure(alter("t", op(type, TopicConfig.RETENTION_MS_CONFIG, "1")));
            assertInstanceOf(InvalidConfigurationException.class, e);
            assertTrue(
                    e.getMessage()
                            .contains("Config value " + type.name().toLowerCase()
                                    + " is not allowed for config key: retention.ms"),
                    e.getMessage());
        }
        assertEquals("60000", describe("t").get(TopicConfig.RETENTION_MS_CONFIG).value());
    }

    @Test
    void subtractingEveryPolicyIsRefusedAsAnEmptyValue() throws Exception {
        createTopic("t", 1, Map.of());

        Throwable e = failure(alter("t", op(OpType.SUBTRACT, TopicConfig.CLEANUP_POLICY_CONFIG, "delete")));

        assertInstanceOf(InvalidConfigurationException.class, e);
        assertTrue(e.getMessage().contains(TopicConfig.CLEANUP_POLICY_CONFIG), e.getMessage());
        assertEquals(
                "delete", describe("t").get(TopicConfig.CLEANUP_POLICY_CONFIG).value());
    }

    // ---- refusals -----------------------------------------------------------------------------------------

    @Test
    void badValueRefusesEveryOperationOfItsResourceNamingKeyAndValue() throws Exception {
        createTopic("t", 1, Map.of());
        createTopic("u", 1, Map.of());
        Config before = describe("t");

        var results = admin.incrementalAlterConfigs(Map.of(
                        topic("t"),
                                List.of(
                                        op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1000"),
                                        op(OpType.SET, TopicConfig.SEGMENT_BYTES_CONFIG, "soon")),
                        topic("u"), List.of(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1000"))))
                .values();

        Throwable e = failure(results.get(topic("t")));
        assertInstanceOf(InvalidConfigurationException.class, e);
        assertTrue(
                e.getMessage().contains("segment.bytes")
                        && e.getMessage().contains("soon")
                        && e.getMessage().contains("'t'"),
                e.getMessage());
        assertEquals(before, describe("t"), "the valid retention.ms of the same resource was not applied either");
        assertNull(await(results.get(topic("u"))));
        assertEquals("1000", describe("u").get(TopicConfig.RETENTION_MS_CONFIG).value());
    }

    @Test
    void valueOutOfRangeIsRefused() throws Exception {
        createTopic("t", 1, Map.of());

        Throwable e = failure(alter("t", op(OpType.SET, TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, "1.5")));

        assertInstanceOf(InvalidConfigurationException.class, e);
        assertTrue(
                e.getMessage().contains("min.cleanable.dirty.ratio")
                        && e.getMessage().contains("1.5"),
                e.getMessage());
    }

    @Test
    void unknownKeyIsRefusedNamingIt() throws Exception {
        createTopic("t", 1, Map.of());
        Config before = describe("t");

        for (OpType type : List.of(OpType.SET, OpType.DELETE)) {
            Throwable e = failure(alter("t", op(type, "retention.msec", type == OpType.SET ? "1" : null)));
            assertInstanceOf(InvalidConfigurationException.class, e);
            assertTrue(e.getMessage().contains("retention.msec"), e.getMessage());
        }
        assertEquals(before, describe("t"));
    }

    @Test
    void keyNamedTwiceInOneResourceIsAnInvalidRequest() throws Exception {
        createTopic("t", 1, Map.of());

        Throwable e = failure(alter(
                "t",
                op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1"),
                op(OpType.DELETE, TopicConfig.RETENTION_MS_CONFIG, null)));

        assertInstanceOf(InvalidRequestException.class, e);
        assertTrue(
                e.getMessage().contains("duplicate config keys")
                        && e.getMessage().contains("retention.ms"),
                e.getMessage());
    }

    @Test
    void validateOnlyAnswersAsAnAlterationWouldAndChangesNothing() throws Exception {
        createTopic("t", 1, Map.of());
        Config before = describe("t");
        AlterConfigsOptions validateOnly = new AlterConfigsOptions().validateOnly(true);

        var good = admin.incrementalAlterConfigs(
                Map.of(topic("t"), List.of(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "5"))), validateOnly);
        var bad = admin.incrementalAlterConfigs(
                Map.of(topic("t"), List.of(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "-5"))), validateOnly);

        assertNull(await(good.all()).get(topic("t")));
        assertInstanceOf(InvalidConfigurationException.class, failure(bad.all()));
        assertEquals(before, describe("t"));
    }

    @Test
    void nullArgumentsAreRefusedAtOnce() {
        Map<ConfigResource, Collection<AlterConfigOp>> nullOps = new HashMap<>();
        nullOps.put(topic("t"), Arrays.asList(op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "1"), null));

        assertThrows(IllegalArgumentException.class, () -> admin.describeConfigs(null));
        assertThrows(IllegalArgumentException.class, () -> admin.describeConfigs(Arrays.asList(topic("t"), null)));
        assertThrows(IllegalArgumentException.class, () -> admin.incrementalAlterConfigs(nullOps));
        assertThrows(IllegalArgumentException.class, () -> op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, null));
    }

    // ---- effect and durability ----------------------------------------------------------------------------

    @Test
    void alterationSurvivesACleanRestartAndACrash() throws Exception {
        createTopic("t", 1, Map.of());
        await(alter(
                "t",
                op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "60000"),
                op(OpType.APPEND, TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));
        close();
        start(Map.of(), Time.SYSTEM);

        Config afterClose = describe("t");
        assertEquals("60000", afterClose.get(TopicConfig.RETENTION_MS_CONFIG).value());
        assertEquals(
                ConfigSource.DYNAMIC_TOPIC_CONFIG,
                afterClose.get(TopicConfig.RETENTION_MS_CONFIG).source());
        assertEquals(Set.of("delete", "compact"), policies(afterClose));

        await(alter("t", op(OpType.DELETE, TopicConfig.RETENTION_MS_CONFIG, null)));
        admin.close();
        broker.crashForTesting();
        start(Map.of(), Time.SYSTEM);

        assertEquals(
                KAFKA_RETENTION_MS,
                describe("t").get(TopicConfig.RETENTION_MS_CONFIG).value(),
                "acknowledged means on disk");
    }

    @Test
    void shorterRetentionTakesEffectOnTheExistingLog() throws Exception {
        close();
        MockTime time = new MockTime();
        start(Map.of(BrokerConfig.LOG_SEGMENT_BYTES, "200", BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS, "0"), time);
        TopicPartition tp = new TopicPartition("t", 0);
        createTopic("t", 1, Map.of());
        for (int i = 0; i < 6; i++) {
            produce(broker.api(), tp, batch(time.milliseconds(), "old-" + i));
        }
        time.sleep(20_000);
        produce(broker.api(), tp, batch(time.milliseconds(), "new"));
        broker.runRetention();
        assertEquals(
                0,
                await(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all())
                        .get(tp)
                        .offset(),
                "7 days keep everything");

        await(alter("t", op(OpType.SET, TopicConfig.RETENTION_MS_CONFIG, "10000")));
        broker.runRetention();

        assertEquals(
                6,
                await(admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all())
                        .get(tp)
                        .offset(),
                "every segment holding only records older than the new retention.ms is gone");
    }

    @Test
    void compactPolicyTakesEffectOnEveryPartitionOfTheExistingTopic() throws Exception {
        createTopic("t", 2, Map.of());
        for (int p = 0; p < 2; p++) {
            assertTrue(produce(broker.api(), new TopicPartition("t", p), batch(1L, "keyless"))
                    .error()
                    .isSuccess());
        }

        await(alter("t", op(OpType.SET, TopicConfig.CLEANUP_POLICY_CONFIG, "compact")));

        for (int p = 0; p < 2; p++) {
            var refused = produce(broker.api(), new TopicPartition("t", p), batch(1L, "keyless"))
                    .error();
            assertEquals(Errors.INVALID_RECORD, refused.error(), "partition " + p);
            assertTrue(refused.message().contains("t-" + p), refused.message());
        }
    }

    @Test
    void userTopicsMayBeCreatedCompactedOrCompactAndDelete() throws Exception {
        createTopic("compacted", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact"));
        createTopic("both", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "compact,delete"));
        createTopic("both-reversed", 1, Map.of(TopicConfig.CLEANUP_POLICY_CONFIG, "delete,compact"));

        assertEquals(Set.of("compact"), policies(describe("compacted")));
        assertEquals(Set.of("compact", "delete"), policies(describe("both")));
        assertEquals(Set.of("compact", "delete"), policies(describe("both-reversed")));
    }

    // ---- the broker resource ------------------------------------------------------------------------------

    @Test
    void brokerIsDescribedReadOnlyWithItsTopicDefaultsAndCannotBeAltered() throws Exception {
        ConfigResource self = new ConfigResource(
                ConfigResource.Type.BROKER, Integer.toString(broker.config().nodeId()));
        ConfigResource clusterDefault = new ConfigResource(ConfigResource.Type.BROKER, "");
        ConfigResource other = new ConfigResource(ConfigResource.Type.BROKER, "7");

        var described =
                admin.describeConfigs(List.of(self, clusterDefault, other)).values();

        Config config = await(described.get(self));
        assertEquals(
                BROKER_RETENTION_BYTES,
                config.get(BrokerConfig.LOG_RETENTION_BYTES).value());
        assertEquals(
                ConfigSource.STATIC_BROKER_CONFIG,
                config.get(BrokerConfig.LOG_RETENTION_BYTES).source());
        assertEquals(
                KAFKA_RETENTION_MS, config.get(BrokerConfig.LOG_RETENTION_MS).value());
        assertEquals(
                ConfigSource.DEFAULT_CONFIG,
                config.get(BrokerConfig.LOG_RETENTION_MS).source());
        assertEquals("delete", config.get(BrokerConfig.LOG_CLEANUP_POLICY).value());
        assertTrue(config.entries().stream().allMatch(ConfigEntry::isReadOnly));
        assertEquals(config, await(described.get(clusterDefault)));
        Throwable notThis = failure(described.get(other));
        assertInstanceOf(InvalidRequestException.class, notThis);
        assertTrue(notThis.getMessage().contains("'7'"), notThis.getMessage());

        Throwable e = failure(admin.incrementalAlterConfigs(
                        Map.of(self, List.of(op(OpType.SET, BrokerConfig.LOG_RETENTION_MS, "1000"))))
                .all());
        assertInstanceOf(InvalidRequestException.class, e);
        assertTrue(e.getMessage().contains("Cannot alter the configuration of broker"), e.getMessage());
    }
}
