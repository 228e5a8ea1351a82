package io.weir.broker;

import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;

/** A topic's {@code cleanup.policy}: what happens to records that are no longer the newest. */
public enum CleanupPolicy {
    /** Retention removes whole old segments. */
    DELETE(TopicConfig.CLEANUP_POLICY_DELETE),
    /** The log cleaner keeps the latest record of each key; keyless records are refused. */
    COMPACT(TopicConfig.CLEANUP_POLICY_COMPACT),
    /** Both: compacted, and old segments still go by retention. */
    COMPACT_DELETE(TopicConfig.CLEANUP_POLICY_COMPACT + "," + TopicConfig.CLEANUP_POLICY_DELETE);

    private final String configValue;

    CleanupPolicy(String configValue) {
        this.configValue = configValue;
    }

    /**
     * The policy a {@code cleanup.policy} value names: {@code delete}, {@code compact}, {@code compact,delete} or
     * {@code delete,compact}, as Kafka accepts them.
     *
     * @throws InvalidConfigurationException for any other value
     */
    public static CleanupPolicy forConfigValue(String value) {
        return switch (value) {
            case TopicConfig.CLEANUP_POLICY_DELETE -> DELETE;
            case TopicConfig.CLEANUP_POLICY_COMPACT -> COMPACT;
            case "compact,delete", "delete,compact" -> COMPACT_DELETE;
            default -> throw new InvalidConfigurationException(
                    TopicConfig.CLEANUP_POLICY_CONFIG + "=" + value + " is not one of delete, compact, compact,delete");
        };
    }

    /** Whether retention deletes old segments. */
    public boolean deletesOldSegments() {
        return this != COMPACT;
    }

    /** Whether the log cleaner compacts the log. */
    public boolean compacts() {
        return this != DELETE;
    }

    /** The value as {@code describeConfigs} shows it. */
    @Override
    public String toString() {
        return configValue;
    }
}
