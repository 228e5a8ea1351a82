package io.weir.clients.consumer.internals;

import io.weir.clients.consumer.ConsumerPartitionAssignor.Assignment;
import io.weir.clients.consumer.ConsumerPartitionAssignor.Subscription;
import io.weir.common.TopicPartition;
import io.weir.common.errors.InconsistentGroupProtocolException;
import io.weir.common.errors.SerializationException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The bytes a consumer puts in its join (subscription) and the leader in its sync (assignments), in Kafka's
 * {@code ConsumerProtocol} layouts, so a Kafka client and a Weir client could share a group:
 *
 * <pre>
 * subscription v2: int16 version, [string topic], nullable bytes user data, [string topic, [int32 partition]] owned,
 *                  int32 generation          (v0 stops after user data, v1 after owned; v3 adds nullable string rack)
 * assignment v0+:  int16 version, [string topic, [int32 partition]] assigned, nullable bytes user data
 * </pre>
 *
 * Arrays are an int32 count; strings an int16 length and UTF-8; bytes an int32 length (-1 for null). Stateless.
 */
public final class ConsumerProtocol {
    static final String PROTOCOL_TYPE = "consumer";
    private static final short SUBSCRIPTION_VERSION = 2;
    private static final short ASSIGNMENT_VERSION = 0;

    private ConsumerProtocol() {}

    static byte[] serializeSubscription(Subscription subscription) {
        Writer w = new Writer();
        w.int16(SUBSCRIPTION_VERSION);
        w.int32(subscription.topics().size());
        subscription.topics().forEach(w::string);
        w.bytes(subscription.userData());
        w.partitions(subscription.ownedPartitions());
        w.int32(subscription.generationId());
        return w.toByteArray();
    }

    /** @throws InconsistentGroupProtocolException naming the member when the bytes are not a subscription */
    static Subscription deserializeSubscription(byte[] bytes, String memberId, String groupInstanceId) {
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            short version = b.getShort();
            if (version < 0) {
                throw new IllegalArgumentException("negative version " + version);
            }
            int count = count(b, "topic count");
            List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                topics.add(string(b));
            }
            ByteBuffer userData = bytes(b);
            List<TopicPartition> owned = version >= 1 ? partitions(b) : List.of();
            int generation = version >= 2 ? b.getInt() : -1;
            return new Subscription(topics, userData, owned, groupInstanceId, generation);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InconsistentGroupProtocolException("The subscription of group member " + memberId
                    + " could not be read as a consumer subscription: " + e);
        }
    }

    static byte[] serializeAssignment(Assignment assignment) {
        Writer w = new Writer();
        w.int16(ASSIGNMENT_VERSION);
        w.partitions(assignment.partitions());
        w.bytes(assignment.userData());
        return w.toByteArray();
    }

    /** An empty byte array (a member the leader gave nothing) reads as an empty assignment. */
    static Assignment deserializeAssignment(byte[] bytes) {
        if (bytes == null || bytes.length == 0) {
            return new Assignment(List.of());
        }
        try {
            ByteBuffer b = ByteBuffer.wrap(bytes);
            b.getShort();
            List<TopicPartition> partitions = partitions(b);
            ByteBuffer userData = bytes(b); // later versions may append fields; they are ignored, as Kafka does
            return new Assignment(partitions, userData);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InconsistentGroupProtocolException(
                    "The assignment from the group leader could not be read: " + e);
        }
    }

    /**
     * The partitions of a member's assignment, for {@code describeConsumerGroups}.
     *
     * @throws SerializationException naming {@code owner} when the bytes do not follow the layout
     */
    public static Set<TopicPartition> assignedPartitions(byte[] bytes, String owner) {
        try {
            return new LinkedHashSet<>(deserializeAssignment(bytes).partitions());
        } catch (InconsistentGroupProtocolException e) {
            throw new SerializationException("The assignment of " + owner + " (" + bytes.length
                    + " bytes) is not in the consumer protocol's layout: " + e.getMessage());
        }
    }

    /** An array count; each entry takes at least 4 bytes, so a larger count is corruption, not a huge loop. */
    private static int count(ByteBuffer b, String what) {
        int n = b.getInt();
        if (n < 0 || n > b.remaining() / 4) {
            throw new IllegalArgumentException(what + " " + n + " with " + b.remaining() + " bytes left");
        }
        return n;
    }

    private static String string(ByteBuffer b) {
        short length = b.getShort();
        if (length < 0 || length > b.remaining()) {
            throw new IllegalArgumentException(
                    "topic name length " + length + " with " + b.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(ByteBuffer b) {
        int length = b.getInt();
        if (length < -1 || length > b.remaining()) {
            throw new IllegalArgumentException("user data length " + length + " with " + b.remaining() + " bytes left");
        }
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return ByteBuffer.wrap(bytes);
    }

    private static List<TopicPartition> partitions(ByteBuffer b) {
        int topics = count(b, "topic count");
        List<TopicPartition> out = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            String topic = string(b);
            int count = count(b, "partition count of topic '" + topic + "'");
            for (int i = 0; i < count; i++) {
                out.add(new TopicPartition(topic, b.getInt()));
            }
        }
        return out;
    }

    /** Big-endian writer of the protocol's primitive types. */
    private static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream(128);

        void int16(int v) {
            out.write(v >>> 8);
            out.write(v);
        }

        void int32(int v) {
            int16(v >>> 16);
            int16(v);
        }

        void string(String s) {
            byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
            int16(bytes.length);
            out.writeBytes(bytes);
        }

        void bytes(ByteBuffer data) {
            if (data == null) {
                int32(-1);
                return;
            }
            ByteBuffer dup = data.duplicate();
            int32(dup.remaining());
            byte[] bytes = new byte[dup.remaining()];
            dup.get(bytes);
            out.writeBytes(bytes);
        }

        /** Grouped by topic, in topic order, as Kafka writes them. */
        void partitions(List<TopicPartition> partitions) {
            Map<String, List<Integer>> byTopic = new TreeMap<>();
            partitions.forEach(tp ->
                    byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition()));
            int32(byTopic.size());
            byTopic.forEach((topic, ps) -> {
                string(topic);
                int32(ps.size());
                ps.forEach(this::int32);
            });
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }
}
