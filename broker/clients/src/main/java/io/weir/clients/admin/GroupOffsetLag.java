package io.weir.clients.admin;

/**
 * How far a consumer group is behind in one partition, as {@link Admin#describeConsumerGroupLag} reports it.
 *
 * @param committedOffset the group's committed offset (the next record it will read)
 * @param logEndOffset    the partition's log end offset as a consumer sees it (its high watermark)
 */
public record GroupOffsetLag(long committedOffset, long logEndOffset) {

    /**
     * Records between the committed offset and the log end. Negative when the group committed past the log
     * end (e.g. offsets set ahead by hand), as {@code kafka-consumer-groups} reports it too.
     */
    public long lag() {
        return logEndOffset - committedOffset;
    }
}
