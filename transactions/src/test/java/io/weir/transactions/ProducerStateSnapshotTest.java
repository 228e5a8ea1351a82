package io.weir.transactions;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.utils.MockTime;
import io.weir.transactions.errors.CorruptSnapshotException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;

/** Snapshot round trips and every way {@link ProducerStateManager#restore} refuses bytes it cannot trust. */
class ProducerStateSnapshotTest {
    private static final int HEADER = 10;
    /** Body offsets of the first producer's fields: after snapshotOffset (8) and producerCount (4). */
    private static final int FIRST_ENTRY = HEADER + 12;

    private static final int BATCH_COUNT = FIRST_ENTRY + 8 + 2 + 8 + 8 + 4;

    private final MockTime clock = new MockTime(0);

    @Test
    void emptyStateRoundTrips() {
        ProducerStateManager restored = restore(
                ProducerStateManager.create(ProducerStateConfig.DEFAULT, clock).snapshot());

        assertTrue(restored.producers().isEmpty());
        assertEquals(0, restored.endOffset());
    }

    @Test
    void stateRoundTripsWithEpochsTransactionsAndFullWindows() {
        ProducerStateManager state = populated();

        ProducerStateManager restored = restore(state.snapshot());

        assertEquals(state.producers(), restored.producers());
        assertEquals(state.endOffset(), restored.endOffset());
    }

    @Test
    void flippedBodyByteFailsTheCrc() {
        byte[] bytes = populated().snapshot();
        bytes[bytes.length - 3] ^= 0x10;

        assertCorrupt(bytes, "CRC32C");
    }

    @Test
    void flippedCrcByteFailsTheCrc() {
        byte[] bytes = populated().snapshot();
        bytes[7] ^= 0x01;

        assertCorrupt(bytes, "CRC32C");
    }

    @Test
    void truncatedBodyIsNamedAsTruncation() {
        byte[] bytes = populated().snapshot();

        assertCorrupt(Arrays.copyOf(bytes, bytes.length - 1), "truncated");
        assertCorrupt(Arrays.copyOf(bytes, HEADER + 3), "truncated");
    }

    @Test
    void truncatedHeaderIsNamedAsTruncation() {
        assertCorrupt(Arrays.copyOf(populated().snapshot(), 5), "truncated");
        assertCorrupt(new byte[0], "truncated");
    }

    @Test
    void unknownVersionIsRefusedNamingIt() {
        byte[] bytes = populated().snapshot();
        bytes[1] = 9;

        assertCorrupt(bytes, "version 9");
    }

    @Test
    void bytesAfterTheBodyAreRefused() {
        byte[] bytes = populated().snapshot();

        assertCorrupt(Arrays.copyOf(bytes, bytes.length + 4), "after");
    }

    @Test
    void tooManyBatchesForAProducerIsRefusedEvenWithAValidCrc() {
        byte[] bytes = populated().snapshot();
        bytes[BATCH_COUNT] = 6;

        assertCorrupt(withFreshCrc(bytes), "6 batches");
    }

    @Test
    void batchAtOrAfterTheSnapshotOffsetIsRefusedEvenWithAValidCrc() {
        byte[] bytes = populated().snapshot();
        ByteBuffer.wrap(bytes).putLong(HEADER, 3L);

        assertCorrupt(withFreshCrc(bytes), "snapshot offset 3");
    }

    @Test
    void bodyEndingInsideAProducerIsRefusedEvenWithAValidCrc() {
        byte[] bytes = populated().snapshot();
        ByteBuffer.wrap(bytes).putInt(HEADER + 8, 1000);

        assertCorrupt(withFreshCrc(bytes), "ends inside");
    }

    @Test
    void twoTransactionsStartingAtTheSameOffsetAreRefusedEvenWithAValidCrc() {
        ProducerStateManager state = ProducerStateManager.create(ProducerStateConfig.DEFAULT, clock);
        state.apply((Verdict.Append) state.checkCoordinatorBatch(1L, (short) 0), 0, 0, 1);
        state.apply((Verdict.Append) state.checkCoordinatorBatch(2L, (short) 0), 1, 1, 1);
        byte[] bytes = state.snapshot();
        // Both entries are windowless (31 bytes each); copy the first's transaction offset into the second.
        int txnField = 8 + 2 + 8;
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        buffer.putLong(FIRST_ENTRY + 31 + txnField, buffer.getLong(FIRST_ENTRY + txnField));

        assertCorrupt(withFreshCrc(bytes), "both have a transaction starting at offset");
    }

    private ProducerStateManager populated() {
        ProducerStateManager state = ProducerStateManager.create(ProducerStateConfig.DEFAULT, clock);
        long offset = 10;
        for (int seq = 0; seq < 8; seq++) {
            state.apply((Verdict.Append) state.check(1L, (short) 0, seq, seq, false), offset, offset, 500 + seq);
            offset++;
        }
        state.apply((Verdict.Append) state.check(2L, (short) 4, 0, 2, true), offset, offset + 2, 900);
        offset += 3;
        state.apply((Verdict.Append) state.check(1L, (short) 1, 0, 0, false), offset, offset, 901);
        return state;
    }

    private ProducerStateManager restore(byte[] bytes) {
        return ProducerStateManager.restore(bytes, ProducerStateConfig.DEFAULT, clock);
    }

    private void assertCorrupt(byte[] bytes, String named) {
        CorruptSnapshotException e = assertThrows(CorruptSnapshotException.class, () -> restore(bytes));
        assertTrue(e.getMessage().contains(named), () -> "expected '" + named + "' in: " + e.getMessage());
    }

    /** Recomputes the CRC, so a test reaches the checks that catch a buggy writer rather than a flipped bit. */
    private static byte[] withFreshCrc(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER, bytes.length - HEADER);
        ByteBuffer.wrap(bytes).putInt(6, (int) crc.getValue());
        return bytes;
    }
}
