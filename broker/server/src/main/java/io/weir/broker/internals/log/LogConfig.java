package io.weir.broker.internals.log;

import io.weir.common.config.ConfigDef;
import io.weir.common.config.ConfigDef.Type;
import io.weir.common.config.ParsedConfig;
import io.weir.common.errors.InvalidConfigurationException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A topic's storage settings, with Kafka's topic-level keys. Each topic starts from the broker's defaults
 * ({@code log.segment.bytes} and friends) and may override any key when it is created. Immutable.
 *
 * @param segmentBytes      {@code segment.bytes}: roll the active segment before it grows past this
 * @param segmentMs         {@code segment.ms}: roll a segment this old even if it is not full
 * @param retentionMs       {@code retention.ms}: delete segments whose newest record is older; -1 keeps all
 * @param retentionBytes    {@code retention.bytes}: delete oldest segments while the partition is larger; -1 none
 * @param maxMessageBytes   {@code max.message.bytes}: the largest record batch the topic accepts
 * @param indexIntervalBytes {@code index.interval.bytes}: bytes of log between offset-index entries
 * @param segmentIndexBytes {@code segment.index.bytes}: an index this full rolls its segment
 * @param fileDeleteDelayMs {@code file.delete.delay.ms}: how long a deleted segment's files linger for readers
 * @param cleanupPolicy     {@code cleanup.policy}: {@code delete} (retention removes old segments),
 *                          {@code compact} (the log cleaner keeps the latest record per key) or both
 * @param deleteRetentionMs {@code delete.retention.ms}: how long a tombstone or transaction marker stays after
 *                          the cleaner first rewrites it
 * @param minCleanableDirtyRatio {@code min.cleanable.dirty.ratio}: the share of not-yet-cleaned bytes a log
 *                          needs before the cleaner takes it
 * @param minCompactionLagMs {@code min.compaction.lag.ms}: a record stays uncompacted at least this long
 * @param maxCompactionLagMs {@code max.compaction.lag.ms}: a record older than this is cleaned whatever the
 *                          dirty ratio, and the active segment rolls once its first record is this old
 */
public record LogConfig(int segmentBytes, long segmentMs, long retentionMs, long retentionBytes, int maxMessageBytes,
                        int indexIntervalBytes, int segmentIndexBytes, long fileDeleteDelayMs, String cleanupPolicy,
                        long deleteRetentionMs, double minCleanableDirtyRatio, long minCompactionLagMs,
                        long maxCompactionLagMs) {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String MAX_MESSAGE_BYTES = "max.message.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    public static final String CLEANUP_POLICY = "cleanup.policy";
    public static final String DELETE_RETENTION_MS = "delete.retention.ms";
    public static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    public static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    public static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";

    /** Kafka's defaults, used when no broker-level default is given. */
    public static final LogConfig DEFAULTS = new LogConfig(1024 * 1024 * 1024, 7L * 24 * 3600 * 1000, 7L * 24 * 3600 * 1000,
            -1L, 1024 * 1024 + 12, 4096, 10 * 1024 * 1024, 60_000L, "delete", 24L * 3600 * 1000, 0.5, 0L, Long.MAX_VALUE);

    public LogConfig {
        // A batch must fit in an empty segment, and the offset index stores 4-byte positions.
        if (segmentBytes < 14) {
            throw new InvalidConfigurationException(SEGMENT_BYTES + "=" + segmentBytes + " is too small: must be at least 14");
        }
        if (segmentMs < 1) {
            throw new InvalidConfigurationException(SEGMENT_MS + "=" + segmentMs + " must be at least 1");
        }
        if (retentionMs < -1) {
            throw new InvalidConfigurationException(RETENTION_MS + "=" + retentionMs + " must be -1 (unlimited) or at least 0");
        }
        if (maxMessageBytes < 0) {
            throw new InvalidConfigurationException(MAX_MESSAGE_BYTES + "=" + maxMessageBytes + " must be at least 0");
        }
        if (segmentIndexBytes < 8) {
            throw new InvalidConfigurationException(SEGMENT_INDEX_BYTES + "=" + segmentIndexBytes + " must be at least 8");
        }
        if (!List.of("delete", "compact", "compact,delete", "delete,compact").contains(cleanupPolicy)) {
            throw new InvalidConfigurationException(CLEANUP_POLICY + "=" + cleanupPolicy + " is not one of delete, compact, compact,delete");
        }
        if (deleteRetentionMs < 0) {
            throw new InvalidConfigurationException(DELETE_RETENTION_MS + "=" + deleteRetentionMs + " must be at least 0");
        }
        if (!(minCleanableDirtyRatio >= 0 && minCleanableDirtyRatio <= 1)) {
            throw new InvalidConfigurationException(MIN_CLEANABLE_DIRTY_RATIO + "=" + minCleanableDirtyRatio + " must be between 0 and 1");
        }
        if (minCompactionLagMs < 0) {
            throw new InvalidConfigurationException(MIN_COMPACTION_LAG_MS + "=" + minCompactionLagMs + " must be at least 0");
        }
        if (maxCompactionLagMs < 1) {
            throw new InvalidConfigurationException(MAX_COMPACTION_LAG_MS + "=" + maxCompactionLagMs + " must be at least 1");
        }
        if (minCompactionLagMs > maxCompactionLagMs) {
            throw new InvalidConfigurationException(MIN_COMPACTION_LAG_MS + "=" + minCompactionLagMs + " exceeds "
                    + MAX_COMPACTION_LAG_MS + "=" + maxCompactionLagMs + "; a record cannot be due for cleaning before it may be cleaned");
        }
    }

    private static ConfigDef definition(LogConfig defaults) {
        return new ConfigDef()
                .define(SEGMENT_BYTES, Type.INT, defaults.segmentBytes, ConfigDef.atLeast(14), "Segment file size limit")
                .define(SEGMENT_MS, Type.LONG, defaults.segmentMs, ConfigDef.atLeast(1), "Maximum segment age before a roll")
                .define(RETENTION_MS, Type.LONG, defaults.retentionMs, ConfigDef.atLeast(-1), "Time-based retention")
                .define(RETENTION_BYTES, Type.LONG, defaults.retentionBytes, ConfigDef.atLeast(-1), "Size-based retention per partition")
                .define(MAX_MESSAGE_BYTES, Type.INT, defaults.maxMessageBytes, ConfigDef.atLeast(0), "Largest record batch accepted")
                .define(INDEX_INTERVAL_BYTES, Type.INT, defaults.indexIntervalBytes, ConfigDef.atLeast(0), "Bytes between index entries")
                .define(SEGMENT_INDEX_BYTES, Type.INT, defaults.segmentIndexBytes, ConfigDef.atLeast(8), "Index size that rolls a segment")
                .define(FILE_DELETE_DELAY_MS, Type.LONG, defaults.fileDeleteDelayMs, ConfigDef.atLeast(0), "Delay before deleted files go")
                .define(CLEANUP_POLICY, Type.STRING, defaults.cleanupPolicy, ConfigDef.in("delete", "compact", "compact,delete", "delete,compact"),
                        "delete | compact | compact,delete")
                .define(DELETE_RETENTION_MS, Type.LONG, defaults.deleteRetentionMs, ConfigDef.atLeast(0), "How long tombstones stay after cleaning")
                .define(MIN_CLEANABLE_DIRTY_RATIO, Type.DOUBLE, defaults.minCleanableDirtyRatio, ConfigDef.range(0, 1), "Dirty share before the cleaner runs")
                .define(MIN_COMPACTION_LAG_MS, Type.LONG, defaults.minCompactionLagMs, ConfigDef.atLeast(0), "Shortest time a record stays uncompacted")
                .define(MAX_COMPACTION_LAG_MS, Type.LONG, defaults.maxCompactionLagMs, ConfigDef.atLeast(1), "Longest time a record stays uncompacted");
    }

    /**
     * The defaults with {@code overrides} applied. An unknown key or a bad value is refused with an
     * {@link InvalidConfigurationException} naming it.
     */
    public static LogConfig withOverrides(LogConfig defaults, Map<String, String> overrides) {
        ConfigDef def = definition(defaults);
        for (String key : overrides.keySet()) {
            if (!def.keys().containsKey(key)) {
                throw new InvalidConfigurationException("Unknown topic configuration '" + key + "'; known keys: " + def.keys().keySet());
            }
        }
        ParsedConfig parsed = def.parse(overrides);
        return new LogConfig(parsed.getInt(SEGMENT_BYTES), parsed.getLong(SEGMENT_MS), parsed.getLong(RETENTION_MS),
                parsed.getLong(RETENTION_BYTES), parsed.getInt(MAX_MESSAGE_BYTES), parsed.getInt(INDEX_INTERVAL_BYTES),
                parsed.getInt(SEGMENT_INDEX_BYTES), parsed.getLong(FILE_DELETE_DELAY_MS), parsed.getString(CLEANUP_POLICY),
                parsed.getLong(DELETE_RETENTION_MS), parsed.getDouble(MIN_CLEANABLE_DIRTY_RATIO), parsed.getLong(MIN_COMPACTION_LAG_MS),
                parsed.getLong(MAX_COMPACTION_LAG_MS));
    }

    /** Whether retention deletes old segments ({@code delete} is part of the policy). */
    public boolean deletesOldSegments() {
        return cleanupPolicy.contains("delete");
    }

    /** Whether the log cleaner compacts this log ({@code compact} is part of the policy). */
    public boolean compacts() {
        return cleanupPolicy.contains("compact");
    }

    /** Every key with its effective value, as {@code describeConfigs} shows them. */
    public Map<String, String> toMap() {
        Map<String, String> map = new TreeMap<>();
        map.put(SEGMENT_BYTES, Integer.toString(segmentBytes));
        map.put(SEGMENT_MS, Long.toString(segmentMs));
        map.put(RETENTION_MS, Long.toString(retentionMs));
        map.put(RETENTION_BYTES, Long.toString(retentionBytes));
        map.put(MAX_MESSAGE_BYTES, Integer.toString(maxMessageBytes));
        map.put(INDEX_INTERVAL_BYTES, Integer.toString(indexIntervalBytes));
        map.put(SEGMENT_INDEX_BYTES, Integer.toString(segmentIndexBytes));
        map.put(FILE_DELETE_DELAY_MS, Long.toString(fileDeleteDelayMs));
        map.put(CLEANUP_POLICY, cleanupPolicy);
        map.put(DELETE_RETENTION_MS, Long.toString(deleteRetentionMs));
        map.put(MIN_CLEANABLE_DIRTY_RATIO, Double.toString(minCleanableDirtyRatio));
        map.put(MIN_COMPACTION_LAG_MS, Long.toString(minCompactionLagMs));
        map.put(MAX_COMPACTION_LAG_MS, Long.toString(maxCompactionLagMs));
        return new LinkedHashMap<>(map);
    }
}
