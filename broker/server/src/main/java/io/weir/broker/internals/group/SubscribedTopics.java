package io.weir.broker.internals.group;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.Optional;
import java.util.Set;

/**
 * The topics a consumer group's members subscribe to, read from the subscription bytes each member sent with
 * its join, which start in Kafka's {@code ConsumerProtocol} layout whatever the version: int16 version, int32
 * topic count, then each topic as an int16 length and UTF-8 bytes. Kafka's group coordinator reads them the same
 * way to refuse deleting the offsets of a topic the group consumes. Stateless.
 */
final class SubscribedTopics {
    private SubscribedTopics() {}

    /**
     * The union of the topics {@code group}'s members subscribe to, with the group locked; empty when the group
     * is not a consumer group or a member's subscription cannot be read (Kafka then knows no subscription).
     */
    static Optional<Set<String>> of(Group group) {
        if (!GroupCoordinator.CONSUMER_PROTOCOL_TYPE.equals(group.protocolType())) {
            return Optional.empty();
        }
        Set<String> topics = new HashSet<>();
        for (MemberMetadata member : group.memberList()) {
            // Before a strategy is chosen, every strategy a member offers carries the same subscription.
            String protocol = group.protocolName() != null
                    ? group.protocolName()
                    : member.protocols.get(0).name();
            byte[] metadata = member.supports(protocol) ? member.metadata(protocol) : null;
            Optional<Set<String>> read = read(metadata);
            if (read.isEmpty()) {
                return Optional.empty();
            }
            topics.addAll(read.get());
        }
        return Optional.of(topics);
    }

    /** The topics of one subscription, or empty when the bytes are not a consumer subscription. */
    static Optional<Set<String>> read(byte[] subscription) {
        if (subscription == null) {
            return Optional.empty();
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(subscription);
            if (b.getShort() < 0) {
                return Optional.empty();
            }
            int count = b.getInt();
            if (count < 0 || count > b.remaining() / 2) {
                return Optional.empty();
            }
            Set<String> topics = new HashSet<>();
            for (int i = 0; i < count; i++) {
                int length = b.getShort();
                if (length < 0 || length > b.remaining()) {
                    return Optional.empty();
                }
                byte[] name = new byte[length];
                b.get(name);
                topics.add(new String(name, StandardCharsets.UTF_8));
            }
            return Optional.of(topics);
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }
}
