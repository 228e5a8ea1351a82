package io.weir.broker.internals.log;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code .txnindex} file: Kafka's layout, lazy creation, truncation, torn tails and the search. */
class TransactionIndexTest {
    private static final AbortedTxn FIRST = new AbortedTxn(1, 10, 20, 15);
    private static final AbortedTxn SECOND = new AbortedTxn(2, 15, 30, 31);

    @TempDir
    Path dir;

    private TransactionIndex index() throws Exception {
        TransactionIndex index =
                new TransactionIndex(dir.resolve("00000000000000000000.txnindex"), FileChannelFactory.SYSTEM);
        index.load();
        return index;
    }

    @Test
    void entriesAreWrittenInKafkasLayoutAndReadBack() throws Exception {
        TransactionIndex index = index();
        assertFalse(Files.exists(index.path), "no file until the first abort");
        index.append(FIRST);
        index.append(SECOND);
        index.close();

        ByteBuffer bytes = ByteBuffer.wrap(Files.readAllBytes(index.path));
        assertEquals(2 * 34, bytes.remaining());
        assertEquals(0, bytes.getShort());
        assertEquals(1, bytes.getLong());
        assertEquals(10, bytes.getLong());
        assertEquals(20, bytes.getLong());
        assertEquals(15, bytes.getLong());
        assertEquals(List.of(FIRST, SECOND), index().entries());
    }

    @Test
    void aTornLastEntryIsCutOnLoad() throws Exception {
        TransactionIndex index = index();
        index.append(FIRST);
        index.append(SECOND);
        index.closeWithoutFlush();
        try (RandomAccessFile raf = new RandomAccessFile(index.path.toFile(), "rw")) {
            raf.setLength(34 + 20);
        }

        TransactionIndex reloaded = index();

        assertEquals(List.of(FIRST), reloaded.entries());
        assertEquals(34, Files.size(reloaded.path));
        reloaded.append(SECOND);
        assertEquals(List.of(FIRST, SECOND), index().entries());
    }

    @Test
    void truncateToDropsEntriesWhoseMarkerIsAtOrAfterTheOffset() throws Exception {
        TransactionIndex index = index();
        index.append(FIRST);
        index.append(SECOND);

        index.truncateTo(30);

        assertEquals(List.of(FIRST), index.entries());
        assertEquals(List.of(FIRST), index().entries());
    }

    @Test
    void appendRefusesAMarkerThatDoesNotFollowTheLast() throws Exception {
        TransactionIndex index = index();
        index.append(SECOND);

        assertThrows(IllegalArgumentException.class, () -> index.append(FIRST));
    }

    @Test
    void collectFindsOverlappingAbortsAndIsCompleteOnceALastStableOffsetReachesTheBound() throws Exception {
        TransactionIndex index = index();
        index.append(FIRST);
        index.append(SECOND);

        assertEquals(new TransactionIndex.SearchResult(List.of(FIRST, SECOND), false), index.collect(0, 40));
        assertEquals(new TransactionIndex.SearchResult(List.of(SECOND), false), index.collect(21, 40));
        assertEquals(new TransactionIndex.SearchResult(List.of(FIRST), true), index.collect(0, 12));
        assertTrue(index.collect(31, 50).aborted().isEmpty());
    }
}
