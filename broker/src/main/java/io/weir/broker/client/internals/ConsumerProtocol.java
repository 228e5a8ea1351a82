package io.weir.broker.client.internals;

import io.weir.broker.TopicPartition;
import io.weir.broker.client.ConsumerPartitionAssignor.Assignment;
import io.weir.broker.client.ConsumerPartitionAssignor.Subscription;
import io.weir.broker.errors.InconsistentGroupProtocolException;
import java.io.ByteArrayOutputStream;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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
final class ConsumerProtocol {
    static final String PROTOCOL_TYPE = "consumer";
    private static final short SUBSCRIPTION_VERSION = 2;
    private static final short ASSIGNMENT_VERSION = 0;

    private ConsumerProtocol() {
    }

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
            int count = b.getInt();
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
            ByteBuffer userData = b.remaining() >= 4 ? bytes(b) : null;
            return new Assignment(partitions, userData);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new InconsistentGroupProtocolException("The assignment from the group leader could not be read: " + e);
        }
    }

    private static String string(ByteBuffer b) {
        short length = b.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("null string where a topic was expected");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static ByteBuffer bytes(ByteBuffer b) {
        int length = b.getInt();
        if (length < 0) {
            return null;
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return ByteBuffer.wrap(bytes);
    }

    private static List<TopicPartition> partitions(ByteBuffer b) {
        int topics = b.getInt();
        List<TopicPartition> out = new ArrayList<>();
        for (int t = 0; t < topics; t++) {
            String topic = string(b);
            int count = b.getInt();
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
            partitions.forEach(tp -> byTopic.computeIfAbsent(tp.topic(), k -> new ArrayList<>()).add(tp.partition()));
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
