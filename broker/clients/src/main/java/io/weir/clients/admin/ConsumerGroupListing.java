package io.weir.clients.admin;

import java.util.Objects;

/** One consumer group as {@link Admin#listConsumerGroups} reports it. */
public record ConsumerGroupListing(String groupId, ConsumerGroupState state) {
    public ConsumerGroupListing {
        Objects.requireNonNull(groupId, "groupId");
        Objects.requireNonNull(state, "state");
    }
}
