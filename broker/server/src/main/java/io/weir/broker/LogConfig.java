package io.weir.broker;

import io.weir.common.config.ConfigDef;
import io.weir.common.config.ConfigDef.Type;
import io.weir.common.config.ParsedConfig;
import io.weir.common.config.TopicConfig;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic's storage settings, with Kafka's topic-level keys ({@link TopicConfig}). Each topic starts from the
 * broker's defaults ({@code log.segment.bytes} and friends) and may override any key. Immutable.
 *
 * <p>Every value comes from parsing the one definition below, where Kafka's defaults are declared once: build
 * instances with {@link #DEFAULTS} and {@link #withOverrides}, not the positional constructor.
 *
 * @param segmentBytes      {@code segment.bytes}: roll the active segment before it grows past this
 * @param segmentMs         {@code segment.ms}: roll a segment this old even if it is not full
 * @param retentionMs       {@code retention.ms}: delete segments whose newest record is older; -1 keeps all
 * @param retentionBytes    {@code retention.bytes}: delete oldest segments while the partition is larger; -1 none
 * @param maxMessageBytes   {@code max.message.bytes}: the largest record batch the topic accepts
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes of log between offset-index entries
 * @param segmentIndexBytes {@code segment.index.bytes}: an index this full rolls its segment
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files linger for readers
 * @param cleanupPolicy     {@code cleanup.policy}: whether retention removes old segments, the log cleaner keeps
 *                          the latest record per key, or both
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone or transaction marker stays after
 *                          the cleaner first rewrites it
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the share of not-yet-cleaned bytes a log
 *                          needs before the cleaner takes it
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a record older than this is cleaned whatever the
 *                          dirty ratio, and the active segment rolls once its first record is this old
 */
public record LogConfig(
        int segmentBytes,
        long segmentMs,
        long retentionMs,
        long retentionBytes,
        int maxMessageBytes,
        int indexIntervalBytes,
        int segmentIndexBytes,
        long fileDeleteDelayMs,
        CleanupPolicy cleanupPolicy,
        long deleteRetentionMs,
        double minCleanableDirtyRatio,
        long minCompactionLagMs,
        long maxCompactionLagMs) {

    private static final long DAY_MS = 24L * 3600 * 1000;

    /** Every topic key with Kafka's default; also the broker's {@code log.*} defaults. */
    private static final ConfigDef DEFINITION = new ConfigDef()
            // A batch must fit in an empty segment, and the offset index stores 4-byte positions.
            .define(
                    TopicConfig.SEGMENT_BYTES_CONFIG,
                    Type.INT,
                    1024 * 1024 * 1024,
                    ConfigDef.atLeast(14),
                    "Segment file size limit")
            .define(
                    TopicConfig.SEGMENT_MS_CONFIG,
                    Type.LONG,
                    7 * DAY_MS,
                    ConfigDef.atLeast(1),
                    "Maximum segment age before a roll")
            .define(
                    TopicConfig.RETENTION_MS_CONFIG,
                    Type.LONG,
                    7 * DAY_MS,
                    ConfigDef.atLeast(-1),
                    "Time-based retention; -1 unlimited")
            .define(
                    TopicConfig.RETENTION_BYTES_CONFIG,
                    Type.LONG,
                    -1L,
                    ConfigDef.atLeast(-1),
                    "Size-based retention per partition")
            .define(
                    TopicConfig.MAX_MESSAGE_BYTES_CONFIG,
                    Type.INT,
                    1024 * 1024 + 12,
                    ConfigDef.atLeast(0),
                    "Largest record batch accepted")
            .define(
                    TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                    Type.INT,
                    4096,
                    ConfigDef.atLeast(0),
                    "Bytes between index entries")
            .define(
                    TopicConfig.SEGMENT_INDEX_BYTES_CONFIG,
                    Type.INT,
                    10 * 1024 * 1024,
                    ConfigDef.atLeast(8),
                    "Index size that rolls a segment")
            .define(
                    TopicConfig.FILE_DELETE_DELAY_MS_CONFIG,
                    Type.LONG,
                    60_000L,
                    ConfigDef.atLeast(0),
                    "Delay before deleted files go")
            .define(
                    TopicConfig.CLEANUP_POLICY_CONFIG,
                    Type.STRING,
                    CleanupPolicy.DELETE.toString(),
                    (name, value) -> CleanupPolicy.forConfigValue((String) value),
                    "delete | compact | compact,delete")
            .define(
                    TopicConfig.DELETE_RETENTION_MS_CONFIG,
                    Type.LONG,
                    DAY_MS,
                    ConfigDef.atLeast(0),
                    "How long tombstones stay after cleaning")
            .define(
                    TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG,
                    Type.DOUBLE,
                    0.5,
                    ConfigDef.range(0, 1),
                    "Dirty share before the cleaner runs")
            .define(
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG,
                    Type.LONG,
                    0L,
                    ConfigDef.atLeast(0),
                    "Shortest time a record stays uncompacted")
            .define(
                    TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                    Type.LONG,
                    Long.MAX_VALUE,
                    ConfigDef.atLeast(1),
                    "Longest time a record stays uncompacted")
            // Accepted because Kafka Streams sets it on every repartition topic; LogAppendTime (the broker
            // overwriting timestamps) is not implemented, so only Kafka's default is a valid value.
            .define(
                    TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG,
                    Type.STRING,
                    "CreateTime",
                    (name, value) -> {
                        if (!"CreateTime".equals(value)) {
                            throw new InvalidConfigurationException("Invalid value " + value + " for configuration "
                                    + name + ": Weir keeps the producer's timestamps (CreateTime); LogAppendTime"
                                    + " is not supported");
                        }
                    },
                    "CreateTime (the producer's timestamp); LogAppendTime is not supported");

    /** Kafka's defaults, used where the broker sets no {@code log.*} default. */
    public static final LogConfig DEFAULTS = from(DEFINITION.parse(java.util.Map.of()));

    public LogConfig {
        java.util.Objects.requireNonNull(cleanupPolicy, "cleanupPolicy");
        if (minCompactionLagMs > maxCompactionLagMs) {
            throw new InvalidConfigurationException(
                    TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG + "=" + minCompactionLagMs + " exceeds "
                            + TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG + "=" + maxCompactionLagMs
                            + "; a record cannot be due for cleaning before it may be cleaned");
        }
    }

    private static LogConfig from(ParsedConfig parsed) {
        return new LogConfig(
                parsed.getInt(TopicConfig.SEGMENT_BYTES_CONFIG),
                parsed.getLong(TopicConfig.SEGMENT_MS_CONFIG),
                parsed.getLong(TopicConfig.RETENTION_MS_CONFIG),
                parsed.getLong(TopicConfig.RETENTION_BYTES_CONFIG),
                parsed.getInt(TopicConfig.MAX_MESSAGE_BYTES_CONFIG),
                parsed.getInt(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG),
                parsed.getInt(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG),
                parsed.getLong(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG),
                CleanupPolicy.forConfigValue(parsed.getString(TopicConfig.CLEANUP_POLICY_CONFIG)),
                parsed.getLong(TopicConfig.DELETE_RETENTION_MS_CONFIG),
                parsed.getDouble(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG),
                parsed.getLong(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG),
                parsed.getLong(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG));
    }

    /** Whether {@code key} is a topic-level key. */
    public static boolean isTopicKey(String key) {
        return DEFINITION.keys().containsKey(key);
    }

    /**
     * The defaults with {@code overrides} applied; values may be strings (as topic overrides are stored) or typed.
     *
     * @throws InvalidConfigurationException for an unknown key or a bad value, naming it
     */
    public static LogConfig withOverrides(LogConfig defaults, Map<String, ?> overrides) {
        for (String key : overrides.keySet()) {
            if (!isTopicKey(key)) {
                throw new InvalidConfigurationException("Unknown topic configuration '" + key + "'; known keys: "
                        + DEFINITION.keys().keySet());
            }
        }
        Map<String, Object> merged = new LinkedHashMap<>(defaults.toMap());
        merged.putAll(overrides);
        return from(DEFINITION.parse(merged));
    }

    /** Whether retention deletes old segments ({@code delete} is part of the policy). */
    public boolean deletesOldSegments() {
        return cleanupPolicy.deletesOldSegments();
    }

    /** Whether the log cleaner compacts this log ({@code compact} is part of the policy). */
    public boolean compacts() {
        return cleanupPolicy.compacts();
    }

    /** Every key with its effective value, as {@code describeConfigs} shows them. */
    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        map.put(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(segmentBytes));
        map.put(TopicConfig.SEGMENT_MS_CONFIG, Long.toString(segmentMs));
        map.put(TopicConfig.RETENTION_MS_CONFIG, Long.toString(retentionMs));
        map.put(TopicConfig.RETENTION_BYTES_CONFIG, Long.toString(retentionBytes));
        map.put(TopicConfig.MAX_MESSAGE_BYTES_CONFIG, Integer.toString(maxMessageBytes));
        map.put(TopicConfig.INDEX_INTERVAL_BYTES_CONFIG, Integer.toString(indexIntervalBytes));
        map.put(TopicConfig.SEGMENT_INDEX_BYTES_CONFIG, Integer.toString(segmentIndexBytes));
        map.put(TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, Long.toString(fileDeleteDelayMs));
        map.put(TopicConfig.CLEANUP_POLICY_CONFIG, cleanupPolicy.toString());
        map.put(TopicConfig.DELETE_RETENTION_MS_CONFIG, Long.toString(deleteRetentionMs));
        map.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, Double.toString(minCleanableDirtyRatio));
        map.put(TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, Long.toString(minCompactionLagMs));
        map.put(TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG, Long.toString(maxCompactionLagMs));
        map.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, "CreateTime");
        return new LinkedHashMap<>(map);
    }
}
