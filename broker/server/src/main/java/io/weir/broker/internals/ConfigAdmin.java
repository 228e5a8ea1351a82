package io.weir.broker.internals;

import io.weir.broker.BrokerConfig;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.LogManager;
import io.weir.broker.internals.log.Topic;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import io.weir.common.errors.InvalidRequestException;
import io.weir.common.errors.WeirException;
import io.weir.common.protocol.ApiError;
import io.weir.common.protocol.ConfigResourceKey;
import io.weir.common.protocol.DescribeConfigsResponse.ConfigValue;
import io.weir.common.protocol.DescribeConfigsResponse.ResourceConfigs;
import io.weir.common.protocol.DescribeConfigsResponse.Source;
import io.weir.common.protocol.IncrementalAlterConfigsRequest.AlterableConfig;
import io.weir.common.protocol.IncrementalAlterConfigsRequest.OpType;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.UnaryOperator;

/**
 * The broker side of DescribeConfigs and IncrementalAlterConfigs (Kafka's ConfigHelper and ConfigAdminManager).
 *
 * <p><b>Topics</b> are described with every topic key, its effective value and its source: the topic's own
 * override ({@code TOPIC_CONFIG}), a default a broker setting moved away from Kafka's
 * ({@code STATIC_BROKER_CONFIG}, e.g. {@code log.retention.ms}), or Kafka's default ({@code DEFAULT_CONFIG}). A
 * broker setting equal to Kafka's default cannot be told from none and shows as {@code DEFAULT_CONFIG}. An
 * alteration computes the topic's new overrides from its current ones, op by op as Kafka does, and hands
 * the whole change to {@link LogManager#alterTopicConfig}, which validates it before anything is written: a
 * resource's operations apply all or none.
 *
 * <p><b>The broker</b> (its node id, or {@code ""} for the cluster default) is described as the defaults
 * topics start from, under their broker keys, read-only. Weir reads broker configuration once, at start, so
 * altering it is refused with INVALID_REQUEST, as Kafka refuses a key that is not dynamic.
 *
 * <p>Stateless beyond its collaborators, so thread-safe; runs on the broker's I/O executor, since an
 * alteration replaces the topic metadata file.
 */
final class ConfigAdmin {
    /** Per topic key, the broker key whose value it defaults to (Kafka's topic config synonyms). */
    private static final Map<String, String> BROKER_SYNONYMS = Map.ofEntries(
            Map.entry(TopicConfig.SEGMENT_BYTES_CONFIG, BrokerConfig.LOG_SEGMENT_BYTES),
            Map.entry(TopicConfig.SEGMENT_MS_CONFIG, BrokerConfig.LOG_ROLL_MS),
            Map.entry(TopicConfig.RETENTION_MS_CONFIG, BrokerConfig.LOG_RETENTION_MS),
            Map.entry(TopicConfig.RETENTION_BYTES_CONFIG, BrokerConfig.LOG_RETENTION_BYTES),
            Map.entry(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, BrokerConfig.MESSAGE_MAX_BYTES),
            Map.entry(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, BrokerConfig.LOG_INDEX_INTERVAL_BYTES),
            Map.entry(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, BrokerConfig.LOG_INDEX_SIZE_MAX_BYTES),
            Map.entry(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, BrokerConfig.LOG_SEGMENT_DELETE_DELAY_MS),
            Map.entry(TopicConfig.CLEANUP_POLICY_CONFIG, BrokerConfig.LOG_CLEANUP_POLICY),
            Map.entry(TopicConfig.DELETE_RETENTION_MS_CONFIG, BrokerConfig.LOG_CLEANER_DELETE_RETENTION_MS),
            Map.entry(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, BrokerConfig.LOG_CLEANER_MIN_CLEANABLE_RATIO),
            Map.entry(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, BrokerConfig.LOG_CLEANER_MIN_COMPACTION_LAG_MS),
            Map.entry(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, BrokerConfig.LOG_CLEANER_MAX_COMPACTION_LAG_MS));

    /**
     * The topic keys whose value is a comma-separated list, the only ones APPEND and SUBTRACT apply to (Kafka's
     * LIST type; {@code LogConfig} parses {@code cleanup.policy} as a string of known combinations).
     */
    private static final Set<String> LIST_KEYS = Set.of(TopicConfig.CLEANUP_POLICY_CONFIG);

    private final int nodeId;
    private final LogManager logManager;

    ConfigAdmin(int nodeId, LogManager logManager) {
        this.nodeId = nodeId;
        this.logManager = logManager;
    }

    // ---- describe -----------------------------------------------------------------------------------------

    ResourceConfigs describe(ConfigResourceKey resource) {
        try {
            List<ConfigValue> configs =
                    switch (resource.type()) {
                        case TOPIC -> describeTopic(resource.name());
                        case BROKER -> describeBroker(resource.name());
                    };
            return new ResourceConfigs(ApiError.NONE, configs);
        } catch (WeirException e) {
            return ResourceConfigs.failed(ApiError.of(e));
        }
    }

    private List<ConfigValue> describeTopic(String name) {
        Topic.validate(name);
        Map<String, String> overrides = logManager.topicMetadata(name).overrides();
        Map<String, String> brokerDefaults = logManager.defaults().toMap();
        List<ConfigValue> out = new ArrayList<>();
        LogConfig.withOverrides(logManager.defaults(), overrides).toMap().forEach((key, value) -> {
            Source source = overrides.containsKey(key) ? Source.TOPIC_CONFIG : defaultSource(key, brokerDefaults);
            out.add(new ConfigValue(key, value, source, false, false));
        });
        return out;
    }

    private List<ConfigValue> describeBroker(String name) {
        requireThisBroker(name);
        Map<String, String> brokerDefaults = logManager.defaults().toMap();
        Map<String, ConfigValue> byBrokerKey = new TreeMap<>();
        BROKER_SYNONYMS.forEach((topicKey, brokerKey) -> byBrokerKey.put(
                brokerKey,
                new ConfigValue(
                        brokerKey,
                        brokerDefaults.get(topicKey),
                        defaultSource(topicKey, brokerDefaults),
                        true,
                        false)));
        return new ArrayList<>(byBrokerKey.values());
    }

    private static Source defaultSource(String topicKey, Map<String, String> brokerDefaults) {
        return brokerDefaults.get(topicKey).equals(LogConfig.DEFAULTS.toMap().get(topicKey))
                ? Source.DEFAULT_CONFIG
                : Source.STATIC_BROKER_CONFIG;
    }

    private void requireThisBroker(String name) {
        if (!name.isEmpty() && !name.equals(Integer.toString(nodeId))) {
            throw new InvalidRequestException("Broker '" + name + "' is not this broker: its node id is " + nodeId
                    + " (or use '' for the cluster default)");
        }
    }

    // ---- alter --------------------------------------------------------------------------------------------

    /** Applies (or with {@code validateOnly}, only checks) one resource's operations: all of them or none. */
    ApiError alter(ConfigResourceKey resource, List<AlterableConfig> ops, boolean validateOnly) {
        try {
            String name = resource.name();
            if (resource.type() == ConfigResourceKey.Type.BROKER) {
                requireThisBroker(name);
                throw new InvalidRequestException("Cannot alter the configuration of broker '" + name + "': Weir reads "
                        + "broker configuration once, at start; change it in the broker's properties and restart, or "
                        + "override a topic's configuration instead");
            }
            Topic.validate(name);
            requireDistinctKeys(name, ops);
            UnaryOperator<Map<String, String>> change = overrides -> apply(name, overrides, logManager.defaults(), ops);
            if (validateOnly) {
                logManager.validateTopicConfigChange(name, change);
            } else {
                logManager.alterTopicConfig(name, change);
            }
            return ApiError.NONE;
        } catch (WeirException e) {
            return ApiError.of(e);
        }
    }

    private static void requireDistinctKeys(String topic, List<AlterableConfig> ops) {
        Set<String> seen = new LinkedHashSet<>();
        Set<String> repeated = new TreeSet<>();
        for (AlterableConfig op : ops) {
            if (!seen.add(String.valueOf(op.name()))) {
                repeated.add(String.valueOf(op.name()));
            }
        }
        if (!repeated.isEmpty()) {
            throw new InvalidRequestException("Error due to duplicate config keys: " + repeated
                    + " appear more than once in the operations for topic '" + topic + "'");
        }
    }

    /**
     * The overrides {@code ops} make of {@code overrides}, in order, as Kafka applies them: SET replaces, DELETE
     * removes (the default applies again), APPEND adds the list elements not yet present to the key's value
     * (its override, else its default), SUBTRACT removes elements. Values are not validated here: the result
     * is, whole, by {@link LogManager}. Pure.
     *
     * @throws InvalidConfigurationException an unknown key, or APPEND/SUBTRACT on a key that is not a list
     * @throws InvalidRequestException       SET, APPEND or SUBTRACT without a value
     */
    static Map<String, String> apply(
            String topic, Map<String, String> overrides, LogConfig defaults, List<AlterableConfig> ops) {
        Map<String, String> defaultValues = defaults.toMap();
        Map<String, String> next = new TreeMap<>(overrides);
        for (AlterableConfig op : ops) {
            String key = op.name();
            if (key == null || !defaultValues.containsKey(key)) {
                throw new InvalidConfigurationException("Unknown topic configuration '" + key + "' for topic '" + topic
                        + "'; known keys: " + defaultValues.keySet());
            }
            if (op.op() != OpType.DELETE && op.value() == null) {
                throw new InvalidRequestException(
                        op.op() + " of " + key + " for topic '" + topic + "' carries no value");
            }
            if ((op.op() == OpType.APPEND || op.op() == OpType.SUBTRACT) && !LIST_KEYS.contains(key)) {
                throw new InvalidConfigurationException("Config value "
                        + op.op().name().toLowerCase(Locale.ROOT)
                        + " is not allowed for config key: " + key + " (topic '" + topic + "'): only list-valued keys "
                        + LIST_KEYS + " take APPEND and SUBTRACT; use SET");
            }
            switch (op.op()) {
                case SET -> next.put(key, op.value());
                case DELETE -> next.remove(key);
                case APPEND -> {
                    List<String> elements = elements(next.getOrDefault(key, defaultValues.get(key)));
                    for (String added : elements(op.value())) {
                        if (!elements.contains(added)) {
                            elements.add(added);
                        }
                    }
                    next.put(key, String.join(",", elements));
                }
                case SUBTRACT -> {
                    List<String> elements = elements(next.getOrDefault(key, defaultValues.get(key)));
                    elements.removeAll(elements(op.value()));
                    next.put(key, String.join(",", elements));
                }
            }
        }
        return next;
    }

    private static List<String> elements(String list) {
        List<String> out = new ArrayList<>();
        for (String element : list.split(",")) {
            if (!element.isBlank()) {
                out.add(element.trim());
            }
        }
        return out;
    }
}
