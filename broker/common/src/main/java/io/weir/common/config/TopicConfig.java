package io.weir.common.config;

/**
 * The topic-level configuration keys, as Kafka's {@code TopicConfig} names them: what {@code NewTopic.configs},
 * {@code Admin.describeConfigs} and {@code Admin.incrementalAlterConfigs} speak. A topic takes each key it does
 * not set from the broker's {@code log.*} default.
 */
public final class TopicConfig {
    /** Roll the active segment before it grows past this many bytes. */
    public static final String SEGMENT_BYTES_CONFIG = "segment.bytes";
    /** Roll a segment this old (ms) even if it is not full. */
    public static final String SEGMENT_MS_CONFIG = "segment.ms";
    /** Delete segments whose newest record is older than this (ms); -1 keeps all. */
    public static final String RETENTION_MS_CONFIG = "retention.ms";
    /** Delete the oldest segments while a partition is larger than this (bytes); -1 none. */
    public static final String RETENTION_BYTES_CONFIG = "retention.bytes";
    /** The largest record batch the topic accepts (bytes). */
    public static final String MAX_MESSAGE_BYTES_CONFIG = "max.message.bytes";
    /** Bytes of log between offset-index entries. */
    public static final String INDEX_INTERVAL_BYTES_CONFIG = "index.interval.bytes";
    /** An offset index this full (bytes) rolls its segment. */
    public static final String SEGMENT_INDEX_BYTES_CONFIG = "segment.index.bytes";
    /** How long a deleted segment's files linger for readers in flight (ms). */
    public static final String FILE_DELETE_DELAY_MS_CONFIG = "file.delete.delay.ms";
    /** {@value #CLEANUP_POLICY_DELETE}, {@value #CLEANUP_POLICY_COMPACT} or both, comma-separated. */
    public static final String CLEANUP_POLICY_CONFIG = "cleanup.policy";
    /** Retention removes old segments. */
    public static final String CLEANUP_POLICY_DELETE = "delete";
    /** The log cleaner keeps the latest record of each key. */
    public static final String CLEANUP_POLICY_COMPACT = "compact";
    /** How long a tombstone or transaction marker stays after the cleaner first rewrites it (ms). */
    public static final String DELETE_RETENTION_MS_CONFIG = "delete.retention.ms";
    /** The share of not-yet-cleaned bytes a log needs before the cleaner takes it. */
    public static final String MIN_CLEANABLE_DIRTY_RATIO_CONFIG = "min.cleanable.dirty.ratio";
    /** A record stays uncompacted at least this long (ms). */
    public static final String MIN_COMPACTION_LAG_MS_CONFIG = "min.compaction.lag.ms";
    /** A record older than this (ms) is cleaned whatever the dirty ratio. */
    public static final String MAX_COMPACTION_LAG_MS_CONFIG = "max.compaction.lag.ms";
    /**
     * Which timestamp a record keeps: {@code CreateTime} (the producer's) or {@code LogAppendTime} (the broker's,
     * at append). Weir serves {@code CreateTime} only.
     */
    public static final String MESSAGE_TIMESTAMP_TYPE_CONFIG = "message.timestamp.type";

    private TopicConfig() {}
}
