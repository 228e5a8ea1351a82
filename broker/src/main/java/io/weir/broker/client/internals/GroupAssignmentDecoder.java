package io.weir.broker.client.internals;

import io.weir.broker.TopicPartition;
import io.weir.broker.errors.SerializationException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * Reads the partitions out of a member's assignment bytes in Kafka's {@code ConsumerProtocolAssignment}
 * layout, for {@code describeConsumerGroups}:
 *
 * <pre>
 *   int16 version
 *   int32 topic count, per topic: int16 length + UTF-8 name, int32 count + int32 partitions
 *   int32 user data length (-1 = null) + bytes
 * </pre>
 *
 * Every version so far (0 to 3) has this layout; bytes after the user data are ignored, so a later version
 * that appends fields still decodes, as Kafka's own reader allows. Empty bytes are the assignment of a
 * member that has not been given one yet. Stateless.
 */
final class GroupAssignmentDecoder {
    private GroupAssignmentDecoder() {
    }

    /**
     * @throws SerializationException naming {@code owner} when the bytes do not follow the layout
     */
    static Set<TopicPartition> partitions(byte[] assignment, String owner) {
        if (assignment == null || assignment.length == 0) {
            return Set.of();
        }
        ByteBuffer buffer = ByteBuffer.wrap(assignment);
        try {
            short version = buffer.getShort();
            if (version < 0) {
                throw malformed(owner, assignment, "version " + version + " is negative");
            }
            int topics = count(buffer, owner, assignment, "topic count");
            Set<TopicPartition> out = new LinkedHashSet<>();
            for (int t = 0; t < topics; t++) {
                String topic = string(buffer, owner, assignment);
                int partitions = count(buffer, owner, assignment, "partition count of topic '" + topic + "'");
                for (int p = 0; p < partitions; p++) {
                    out.add(new TopicPartition(topic, buffer.getInt()));
                }
            }
            int userData = buffer.getInt();
            if (userData < -1 || userData > buffer.remaining()) {
                throw malformed(owner, assignment, "user data length " + userData + " with " + buffer.remaining()
                        + " bytes left");
            }
            return out;
        } catch (BufferUnderflowException e) {
            throw malformed(owner, assignment, "the bytes end early");
        }
    }

    private static int count(ByteBuffer buffer, String owner, byte[] assignment, String what) {
        int n = buffer.getInt();
        // Each entry takes at least 4 bytes, so a count larger than that bound is corrupt, not a huge loop.
        if (n < 0 || n > buffer.remaining() / 4) {
            throw malformed(owner, assignment, what + " " + n + " with " + buffer.remaining() + " bytes left");
        }
        return n;
    }

    private static String string(ByteBuffer buffer, String owner, byte[] assignment) {
        short length = buffer.getShort();
        if (length < 0 || length > buffer.remaining()) {
            throw malformed(owner, assignment, "topic name length " + length + " with " + buffer.remaining() + " bytes left");
        }
        byte[] bytes = new byte[length];
        buffer.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    private static SerializationException malformed(String owner, byte[] assignment, String why) {
        return new SerializationException("The assignment of " + owner + " (" + assignment.length
                + " bytes) is not in the consumer protocol's layout: " + why);
    }
}
