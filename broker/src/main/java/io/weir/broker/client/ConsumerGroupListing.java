package io.weir.broker.client;

import java.util.Objects;

/** One consumer group as {@link Admin#listConsumerGroups} reports it. */
public record ConsumerGroupListing(String groupId, ConsumerGroupState state) {
    public ConsumerGroupListing {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
    }
}
