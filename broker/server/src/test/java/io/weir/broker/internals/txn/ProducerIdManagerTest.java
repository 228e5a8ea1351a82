package io.weir.broker.internals.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.broker.FaultyDisk;
import io.weir.broker.internals.log.LogDirContext;
import io.weir.broker.internals.log.LogDirFailureException;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.utils.MockTime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProducerIdManagerTest {
    @TempDir
    Path dir;

    private ProducerIdManager open() {
        return ProducerIdManager.open(dir, LogDirContext.standalone(dir, new MockTime()));
    }

    /**
     * The block file is a file of the data directory like the logs': a failed sync of it takes the directory
     * offline, names the file, hands out no id, and reserves no further block while the directory is offline.
     */
    @Test
    void aFailedSyncOfTheBlockTakesTheDirectoryOffline() {
        FaultyDisk disk = new FaultyDisk();
        LogDirContext context = LogDirContext.of(dir, disk, new MockTime());
        ProducerIdManager ids = ProducerIdManager.open(dir, context);
        Path tmp = dir.resolve(ProducerIdManager.FILE_NAME + ".tmp");
        disk.failOnce(FaultyDisk.Op.FORCE, tmp::equals, () -> {});

        LogDirFailureException e = assertThrows(LogDirFailureException.class, ids::generate);

        assertEquals(tmp, e.file());
        assertTrue(context.failures().isOffline(), "the directory is offline");
        LogDirFailureException refused = assertThrows(
                LogDirFailureException.class,
                ids::generate,
                "no block is reserved on an offline directory, though the disk would now accept the write");
        assertEquals(tmp, refused.file());
    }

    @Test
    void handsOutConsecutiveIdsFromZero() {
        ProducerIdManager ids = open();
        assertEquals(0L, ids.generate());
        assertEquals(1L, ids.generate());
    }

    @Test
    void neverRepeatsAnIdAfterReopenEvenWithoutClose() {
        Set<Long> seen = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            // No close: each reopen is what a crash would leave, since the block end is written before use.
            ProducerIdManager ids = open();
            for (int i = 0; i < ProducerIdManager.BLOCK_SIZE + 7; i++) {
                assertTrue(seen.add(ids.generate()));
            }
        }
    }

    @Test
    void reservesTheBlockOnDiskBeforeHandingOutItsFirstId() throws IOException {
        open().generate();
        assertTrue(Files.exists(dir.resolve(ProducerIdManager.FILE_NAME)));
        assertEquals(ProducerIdManager.BLOCK_SIZE, open().generate());
    }

    @Test
    void refusesACorruptFileNamingIt() throws IOException {
        open().generate();
        Path file = dir.resolve(ProducerIdManager.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[5] ^= 0x10;
        Files.write(file, bytes);
        KafkaStorageException e = assertThrows(KafkaStorageException.class, () -> open());
        assertTrue(
                e.getMessage().contains(ProducerIdManager.FILE_NAME)
                        && e.getMessage().contains("corrupt"),
                e.getMessage());
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Files.write(dir.resolve(ProducerIdManager.FILE_NAME), new byte[3]);
        KafkaStorageException e = assertThrows(KafkaStorageException.class, () -> open());
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
    }
}
