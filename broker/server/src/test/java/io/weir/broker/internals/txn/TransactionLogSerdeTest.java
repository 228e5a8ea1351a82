package io.weir.broker.internals.txn;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.transactions.coordinator.TransactionLog;
import io.weir.transactions.coordinator.TransactionMetadata;
import io.weir.transactions.coordinator.TransactionState;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Kafka's TransactionLogKey / TransactionLogValue v0 bytes, and decoding that refuses what it cannot trust. */
class TransactionLogSerdeTest {
    private static final TopicPartition WHERE = new TopicPartition(TransactionStateTopic.TOPIC, 7);
    private static final TransactionMetadata ONGOING = new TransactionMetadata(
            "app",
            5L,
            -1L,
            (short) 2,
            (short) -1,
            60_000,
            TransactionState.ONGOING,
            Set.of(new TopicPartition("pay", 3), new TopicPartition("orders", 1), new TopicPartition("orders", 0)),
            900L,
            1000L);
    private static final TransactionMetadata EMPTY = new TransactionMetadata(
            "app", 5L, -1L, (short) 3, (short) -1, 60_000, TransactionState.EMPTY, Set.of(), -1L, 1000L);

    private static byte[] hex(String s) {
        return HexFormat.of().parseHex(s.replace(" ", ""));
    }

    @Test
    void keyIsVersionZeroAndTheId() {
        assertArrayEquals(hex("0000 0003 617070"), TransactionLogSerde.key("app"));
    }

    @Test
    void ongoingValueIsKafkasVersionZeroLayoutWithPartitionsGroupedByTopic() {
        byte[] expected = hex("0000" + "0000000000000005" + "0002" + "0000ea60" + "01"
                + "00000002"
                + "0006" + "6f7264657273" + "00000002" + "00000000" + "00000001"
                + "0003" + "706179" + "00000001" + "00000003"
                + "00000000000003e8" + "0000000000000384");
        assertArrayEquals(expected, TransactionLogSerde.value(ONGOING));
    }

    @Test
    void emptyWritesANullPartitionArray() {
        byte[] expected = hex("0000" + "0000000000000005" + "0003" + "0000ea60" + "00" + "ffffffff" + "00000000000003e8"
                + "ffffffffffffffff");
        assertArrayEquals(expected, TransactionLogSerde.value(EMPTY));
    }

    @Test
    void completeWritesAnEmptyPartitionArray() {
        TransactionMetadata done = new TransactionMetadata(
                "app", 5L, -1L, (short) 2, (short) -1, 60_000, TransactionState.COMPLETE_COMMIT, Set.of(), 900L, 1000L);
        byte[] value = TransactionLogSerde.value(done);
        assertEquals(4, value[16]);
        assertArrayEquals(hex("00000000"), Arrays.copyOfRange(value, 17, 21));
    }

    @Test
    void valuesReadBackAsWrittenLessTheLastProducer() {
        TransactionMetadata withLast = new TransactionMetadata(
                "app",
                5L,
                4L,
                (short) 2,
                (short) 1,
                60_000,
                TransactionState.PREPARE_COMMIT,
                ONGOING.partitions(),
                900L,
                1000L);
        for (TransactionMetadata m : new TransactionMetadata[] {ONGOING, EMPTY, withLast}) {
            TransactionLog.Record r = read(TransactionLogSerde.key("app"), TransactionLogSerde.value(m));
            assertEquals("app", r.transactionalId());
            assertEquals(m.withoutLastProducer(), r.value());
        }
    }

    @Test
    void tombstoneReadsAsNoValue() {
        TransactionLog.Record r = read(TransactionLogSerde.key("app"), null);
        assertEquals("app", r.transactionalId());
        assertNull(r.value());
    }

    @Test
    void emptyIgnoresAPartitionArrayAsKafkaDoes() {
        byte[] value = TransactionLogSerde.value(ONGOING);
        value[16] = TransactionState.EMPTY.id();
        assertEquals(
                Set.of(), read(TransactionLogSerde.key("app"), value).value().partitions());
    }

    @Test
    void deadIsNeverWrittenAsAValue() {
        TransactionMetadata dead = new TransactionMetadata(
                "app", 5L, -1L, (short) 2, (short) -1, 60_000, TransactionState.DEAD, Set.of(), -1L, 1000L);
        assertThrows(IllegalArgumentException.class, () -> TransactionLogSerde.value(dead));
    }

    @Test
    void corruptRecordsAreRefusedNamingPartitionOffsetAndWhat() {
        byte[] key = TransactionLogSerde.key("app");
        byte[] value = TransactionLogSerde.value(ONGOING);
        assertCorrupt(key, Arrays.copyOf(value, value.length - 3), "truncated");
        assertCorrupt(key, concat(value, new byte[] {1}), "unread bytes");
        assertCorrupt(key, patch(value, 0, (byte) 0, (byte) 1), "value version 1");
        assertCorrupt(key, patch(value, 16, (byte) 9), "9");
        assertCorrupt(key, patch(value, 16, (byte) 6), "Dead");
        assertCorrupt(key, patch(value, 17, (byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xfe), "array length");
        assertCorrupt(key, patch(value, 29, (byte) 0x7f), "partitions in");
        assertCorrupt(key, patch(value, 21, (byte) 0x80), "topic has length");
        assertCorrupt(patch(key, 0, (byte) 0, (byte) 1), value, "key version 1");
        // Ongoing with no partitions is not a state the coordinator can hold.
        assertCorrupt(
                key,
                hex("0000" + "0000000000000005" + "0002" + "0000ea60" + "01" + "00000000" + "00000000000003e8"
                        + "0000000000000384"),
                "Ongoing");
        CorruptRecordException noKey = assertThrows(
                CorruptRecordException.class, () -> TransactionLogSerde.read(null, ByteBuffer.wrap(value), WHERE, 42));
        assertTrue(
                noKey.getMessage().contains("42") && noKey.getMessage().contains(WHERE.toString()), noKey.getMessage());
    }

    private static TransactionLog.Record read(byte[] key, byte[] value) {
        return TransactionLogSerde.read(ByteBuffer.wrap(key), value == null ? null : ByteBuffer.wrap(value), WHERE, 42);
    }

    private static void assertCorrupt(byte[] key, byte[] value, String says) {
        CorruptRecordException e = assertThrows(CorruptRecordException.class, () -> read(key, value));
        assertTrue(
                e.getMessage().contains("offset 42")
                        && e.getMessage().contains(WHERE.toString())
                        && e.getMessage().contains(says),
                e.getMessage());
    }

    private static byte[] patch(byte[] bytes, int at, byte... with) {
        byte[] out = bytes.clone();
        System.arraycopy(with, 0, out, at, with.length);
        return out;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
