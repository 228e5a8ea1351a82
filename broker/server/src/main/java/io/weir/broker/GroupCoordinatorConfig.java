package io.weir.broker;

import io.weir.common.errors.InvalidConfigurationException;

/**
 * The group coordinator's settings within {@link BrokerConfig}, with Kafka's broker keys. Immutable.
 *
 * @param minSessionTimeoutMs     {@code group.min.session.timeout.ms}: shortest session a member may ask for
 * @param maxSessionTimeoutMs     {@code group.max.session.timeout.ms}: longest session a member may ask for
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}: how long the first rebalance of an
 *                                empty group waits for more members, so a group starting all at once settles
 *                                in one generation (Kafka's default is 3000; an embedded broker defaults to 0,
 *                                as Kafka's own development configuration does)
 * @param maxSize                 {@code group.max.size}: most members in one group
 * @param offsetMetadataMaxBytes  {@code offset.metadata.max.bytes}: longest metadata string of a commit
 * @param offsetsTopicPartitions  {@code offsets.topic.num.partitions}: partitions of {@code __consumer_offsets}
 *                                when it is first created
 * @param offsetsTopicSegmentBytes {@code offsets.topic.segment.bytes}: {@code segment.bytes} of
 *                                {@code __consumer_offsets} when it is first created; the cleaner compacts only
 *                                rolled segments, so this bounds what stays uncompacted per partition
 * @param offsetCommitTimeoutMs   {@code offsets.commit.timeout.ms}: how long a commit may wait for room on the
 *                                write path
 */
public record GroupCoordinatorConfig(
        int minSessionTimeoutMs,
        int maxSessionTimeoutMs,
        int initialRebalanceDelayMs,
        int maxSize,
        int offsetMetadataMaxBytes,
        int offsetsTopicPartitions,
        int offsetsTopicSegmentBytes,
        int offsetCommitTimeoutMs) {
    public static final GroupCoordinatorConfig DEFAULTS =
            new GroupCoordinatorConfig(6_000, 1_800_000, 0, Integer.MAX_VALUE, 4096, 4, 100 * 1024 * 1024, 5_000);

    public GroupCoordinatorConfig {
        if (minSessionTimeoutMs < 0 || maxSessionTimeoutMs < minSessionTimeoutMs) {
            throw new InvalidConfigurationException("group.min.session.timeout.ms=" + minSessionTimeoutMs
                    + " and group.max.session.timeout.ms=" + maxSessionTimeoutMs + " must satisfy 0 <= min <= max");
        }
        if (initialRebalanceDelayMs < 0
                || maxSize < 1
                || offsetMetadataMaxBytes < 0
                || offsetsTopicPartitions < 1
                || offsetsTopicSegmentBytes < 14
                || offsetCommitTimeoutMs < 1) {
            throw new InvalidConfigurationException("group.initial.rebalance.delay.ms=" + initialRebalanceDelayMs
                    + ", group.max.size=" + maxSize + ", offset.metadata.max.bytes=" + offsetMetadataMaxBytes
                    + ", offsets.topic.num.partitions=" + offsetsTopicPartitions + ", offsets.topic.segment.bytes="
                    + offsetsTopicSegmentBytes + ", offsets.commit.timeout.ms=" + offsetCommitTimeoutMs
                    + ": the delay and metadata size must be >= 0, segment bytes >= 14, the others >= 1");
        }
    }
}
