package io.weir.broker.internals.group;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.common.protocol.OffsetCommitRequest.CommittedOffset;
import java.nio.ByteBuffer;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/** The __consumer_offsets key and value layouts: round trips, Kafka's exact bytes, and corrupt input. */
class GroupRecordSerdeTest {
    private static final TopicPartition TP = new TopicPartition("orders", 3);
    private static final long AT = 1234L;

    private static GroupRecord roundTrip(GroupRecord record) {
        byte[] value = GroupRecordSerde.value(record);
        return GroupRecordSerde.read(
                ByteBuffer.wrap(GroupRecordSerde.key(record)), value == null ? null : ByteBuffer.wrap(value), AT);
    }

    private static CorruptRecordException corrupt(byte[] key, byte[] value) {
        return assertThrows(
                CorruptRecordException.class,
                () -> GroupRecordSerde.read(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value), AT));
    }

    private static void assertNamesOffset(CorruptRecordException e) {
        assertTrue(e.getMessage().contains("offset " + AT), e.getMessage());
    }

    @Test
    void offsetCommitRoundTrips() {
        GroupRecord record =
                new GroupRecord.OffsetCommit("g", TP, new CommittedOffset(42, 5, "täst", 1_700_000_000_000L));

        assertEquals(record, roundTrip(record));
    }

    @Test
    void offsetTombstoneRoundTripsWithANullValue() {
        GroupRecord record = new GroupRecord.OffsetCommit("g", TP, null);

        assertNull(GroupRecordSerde.value(record));
        assertEquals(record, roundTrip(record));
    }

    @Test
    void groupMetadataRoundTrips() {
        GroupRecord record = new GroupRecord.GroupMetadata(
                "g", new GroupRecord.GroupMetadata.Value("consumer", 9, "range", "client-1", 77));

        assertEquals(record, roundTrip(record));
    }

    @Test
    void groupMetadataOfAnEmptyGroupRoundTripsWithNullProtocolAndLeader() {
        GroupRecord record =
                new GroupRecord.GroupMetadata("g", new GroupRecord.GroupMetadata.Value("consumer", 3, null, null, 77));

        assertEquals(record, roundTrip(record));
    }

    @Test
    void groupTombstoneRoundTripsWithANullValue() {
        GroupRecord record = new GroupRecord.GroupMetadata("g", null);

        assertNull(GroupRecordSerde.value(record));
        assertEquals(record, roundTrip(record));
    }

    @Test
    void offsetKeyIsKafkasVersionOneLayoutByteForByte() {
        byte[] key = GroupRecordSerde.key(new GroupRecord.OffsetCommit("grp", new TopicPartition("t1", 258), null));

        assertArrayEquals(
                new byte[] {
                    0, 1, // int16 version = 1
                    0, 3, 'g', 'r', 'p', // int16 length, group
                    0, 2, 't', '1', // int16 length, topic
                    0, 0, 1, 2
                }, // int32 partition = 258
                key);
    }

    @Test
    void offsetValueIsKafkasVersionThreeLayoutByteForByte() {
        byte[] value =
                GroupRecordSerde.value(new GroupRecord.OffsetCommit("grp", TP, new CommittedOffset(258, 7, "m", 3)));

        assertArrayEquals(
                new byte[] {
                    0, 3, // int16 version = 3
                    0, 0, 0, 0, 0, 0, 1, 2, // int64 offset
                    0, 0, 0, 7, // int32 leader epoch
                    0, 1, 'm', // string metadata
                    0, 0, 0, 0, 0, 0, 0, 3
                }, // int64 commit timestamp
                value);
    }

    @Test
    void groupKeyIsKafkasVersionTwoLayoutByteForByte() {
        assertArrayEquals(
                new byte[] {0, 2, 0, 3, 'g', 'r', 'p'},
                GroupRecordSerde.key(new GroupRecord.GroupMetadata("grp", null)));
    }

    @Test
    void readsAnOffsetKeyOfVersionZero() {
        byte[] key = GroupRecordSerde.key(new GroupRecord.OffsetCommit("grp", TP, null));
        key[1] = 0;

        assertEquals(
                new GroupRecord.OffsetCommit("grp", TP, null), GroupRecordSerde.read(ByteBuffer.wrap(key), null, AT));
    }

    @Test
    void truncatedKeyFailsAsCorruptNamingTheOffset() {
        byte[] key = GroupRecordSerde.key(new GroupRecord.OffsetCommit("grp", TP, null));

        for (int length = 0; length < key.length; length++) {
            assertNamesOffset(corrupt(Arrays.copyOf(key, length), null));
        }
    }

    @Test
    void truncatedValueFailsAsCorruptNamingTheOffset() {
        GroupRecord offsetRecord = new GroupRecord.OffsetCommit("grp", TP, new CommittedOffset(1, 2, "meta", 3));
        GroupRecord groupRecord = new GroupRecord.GroupMetadata(
                "grp", new GroupRecord.GroupMetadata.Value("consumer", 9, "range", "c-1", 77));
        for (GroupRecord record : new GroupRecord[] {offsetRecord, groupRecord}) {
            byte[] key = GroupRecordSerde.key(record);
            byte[] value = GroupRecordSerde.value(record);
            // The group value's last field (member count) is not read back, so cut within the fields before it.
            int readable = record instanceof GroupRecord.GroupMetadata ? value.length - 4 : value.length;
            for (int length = 0; length < readable; length++) {
                assertNamesOffset(corrupt(key, Arrays.copyOf(value, length)));
            }
        }
    }

    @Test
    void unknownKeyVersionFailsAsCorruptNamingTheOffset() {
        byte[] key = GroupRecordSerde.key(new GroupRecord.GroupMetadata("grp", null));
        key[1] = 9;

        CorruptRecordException e = corrupt(key, null);
        assertNamesOffset(e);
        assertTrue(e.getMessage().contains("version 9"), e.getMessage());
    }

    @Test
    void unknownValueVersionFailsAsCorruptNamingTheOffset() {
        GroupRecord record = new GroupRecord.OffsetCommit("grp", TP, new CommittedOffset(1, 2, "", 3));
        byte[] value = GroupRecordSerde.value(record);
        value[1] = 4;

        assertNamesOffset(corrupt(GroupRecordSerde.key(record), value));
    }

    @Test
    void nullStringWhereTheLayoutRequiresOneFailsAsCorruptNamingTheOffset() {
        byte[] nullTopic = {0, 1, 0, 1, 'g', -1, -1, 0, 0, 0, 1};
        byte[] nullGroup = {0, 2, -1, -1};
        byte[] negativeLength = {0, 2, -1, -5};

        assertNamesOffset(corrupt(nullTopic, null));
        assertNamesOffset(corrupt(nullGroup, null));
        assertNamesOffset(corrupt(negativeLength, null));
    }
}
