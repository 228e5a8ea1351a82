package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * Key and value bytes of {@link GroupRecord}s, in the layouts Kafka's group coordinator writes to
 * {@code __consumer_offsets}, so the topic reads the same to Kafka tools:
 *
 * <pre>
 * offset key    (version 1): int16 version, string group, string topic, int32 partition
 * offset value  (version 3): int16 version, int64 offset, int32 leader epoch, string metadata, int64 commit time
 * group key     (version 2): int16 version, string group
 * group value   (version 3): int16 version, string protocol type, int32 generation, nullable string protocol,
 *                            nullable string leader, int64 state timestamp, int32 member count (always 0: members
 *                            are not restored; see GroupCoordinator)
 * </pre>
 *
 * Strings are an int16 length and UTF-8 bytes; a null string has length -1. Stateless.
 */
final class GroupRecordSerde {
    private static final short OFFSET_KEY_VERSION = 1;
    private static final short GROUP_KEY_VERSION = 2;
    private static final short OFFSET_VALUE_VERSION = 3;
    private static final short GROUP_VALUE_VERSION = 3;

    private GroupRecordSerde() {}

    static byte[] key(GroupRecord record) {
        if (record instanceof GroupRecord.OffsetCommit oc) {
            byte[] group = utf8(oc.groupId());
            byte[] topic = utf8(oc.partition().topic());
            ByteBuffer b = ByteBuffer.allocate(2 + 2 + group.length + 2 + topic.length + 4);
            b.putShort(OFFSET_KEY_VERSION);
            putString(b, group);
            putString(b, topic);
            b.putInt(oc.partition().partition());
            return b.array();
        }
        byte[] group = utf8(record.groupId());
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + group.length);
        b.putShort(GROUP_KEY_VERSION);
        putString(b, group);
        return b.array();
    }

    /** The value bytes, or null for a tombstone. */
    static byte[] value(GroupRecord record) {
        if (record instanceof GroupRecord.OffsetCommit oc) {
            if (oc.value() == null) {
                return null;
            }
            byte[] metadata = utf8(oc.value().metadata());
            ByteBuffer b = ByteBuffer.allocate(2 + 8 + 4 + 2 + metadata.length + 8);
            b.putShort(OFFSET_VALUE_VERSION);
            b.putLong(oc.value().offset());
            b.putInt(oc.value().leaderEpoch());
            putString(b, metadata);
            b.putLong(oc.value().commitTimestamp());
            return b.array();
        }
        GroupRecord.GroupMetadata gm = (GroupRecord.GroupMetadata) record;
        if (gm.value() == null) {
            return null;
        }
        GroupRecord.GroupMetadata.Value v = gm.value();
        byte[] type = utf8(v.protocolType());
        byte[] protocol = v.protocolName() == null ? null : utf8(v.protocolName());
        byte[] leader = v.leaderId() == null ? null : utf8(v.leaderId());
        ByteBuffer b = ByteBuffer.allocate(2 + 2 + type.length + 4 + 2 + len(protocol) + 2 + len(leader) + 8 + 4);
        b.putShort(GROUP_VALUE_VERSION);
        putString(b, type);
        b.putInt(v.generationId());
        putString(b, protocol);
        putString(b, leader);
        b.putLong(v.stateTimestampMs());
        b.putInt(0);
        return b.array();
    }

    /**
     * Decodes one record of the offsets topic.
     *
     * @throws CorruptRecordException naming the offset when the bytes are not a record this coordinator wrote
     */
    static GroupRecord read(ByteBuffer key, ByteBuffer value, long offset) {
        try {
            short keyVersion = key.getShort();
            if (keyVersion == 0 || keyVersion == OFFSET_KEY_VERSION) {
                String group = getRequiredString(key, "group");
                String topic = getRequiredString(key, "topic");
                int partition = key.getInt();
                return new GroupRecord.OffsetCommit(
                        group, new TopicPartition(topic, partition), value == null ? null : offsetValue(value));
            }
            if (keyVersion == GROUP_KEY_VERSION) {
                String group = getRequiredString(key, "group");
                return new GroupRecord.GroupMetadata(group, value == null ? null : groupValue(value));
            }
            throw new CorruptRecordException(
                    "Offsets topic record at offset " + offset + " has unknown key version " + keyVersion);
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptRecordException(
                    "Offsets topic record at offset " + offset + " is truncated or malformed: " + e, e);
        }
    }

    private static CommittedOffset offsetValue(ByteBuffer b) {
        short version = b.getShort();
        if (version != OFFSET_VALUE_VERSION) {
            throw new IllegalArgumentException("offset value version " + version + " is not " + OFFSET_VALUE_VERSION);
        }
        long offset = b.getLong();
        int leaderEpoch = b.getInt();
        String metadata = getString(b);
        long timestamp = b.getLong();
        return new CommittedOffset(offset, leaderEpoch, metadata == null ? "" : metadata, timestamp);
    }

    private static GroupRecord.GroupMetadata.Value groupValue(ByteBuffer b) {
        short version = b.getShort();
        if (version != GROUP_VALUE_VERSION) {
            throw new IllegalArgumentException("group value version " + version + " is not " + GROUP_VALUE_VERSION);
        }
        String type = getRequiredString(b, "protocol type");
        int generation = b.getInt();
        String protocol = getString(b);
        String leader = getString(b);
        long timestamp = b.getLong();
        return new GroupRecord.GroupMetadata.Value(type, generation, protocol, leader, timestamp);
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "String of " + bytes.length + " bytes is longer than " + Short.MAX_VALUE);
        }
        return bytes;
    }

    private static int len(byte[] b) {
        return b == null ? 0 : b.length;
    }

    private static void putString(ByteBuffer b, byte[] s) {
        if (s == null) {
            b.putShort((short) -1);
        } else {
            b.putShort((short) s.length);
            b.put(s);
        }
    }

    /** Where the layout has a non-nullable string: a null there is corruption, not a value to pass on. */
    private static String getRequiredString(ByteBuffer b, String field) {
        String s = getString(b);
        if (s == null) {
            throw new IllegalArgumentException("null " + field + " where the layout requires a string");
        }
        return s;
    }

    private static String getString(ByteBuffer b) {
        short length = b.getShort();
        if (length == -1) {
            return null;
        }
        if (length < 0) {
            throw new IllegalArgumentException("string length " + length);
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
