package io.weir.broker.internals.txn;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.errors.KafkaStorageException;
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

    @Test
    void handsOutConsecutiveIdsFromZero() {
        ProducerIdManager ids = ProducerIdManager.open(dir);
        assertEquals(0L, ids.generate());
        assertEquals(1L, ids.generate());
    }

    @Test
    void neverRepeatsAnIdAfterReopenEvenWithoutClose() {
        Set<Long> seen = new HashSet<>();
        for (int run = 0; run < 3; run++) {
            // No close: each reopen is what a crash would leave, since the block end is written before use.
            ProducerIdManager ids = ProducerIdManager.open(dir);
            for (int i = 0; i < ProducerIdManager.BLOCK_SIZE + 7; i++) {
                assertTrue(seen.add(ids.generate()));
            }
        }
    }

    @Test
    void reservesTheBlockOnDiskBeforeHandingOutItsFirstId() throws IOException {
        ProducerIdManager.open(dir).generate();
        assertTrue(Files.exists(dir.resolve(ProducerIdManager.FILE_NAME)));
        assertEquals(ProducerIdManager.BLOCK_SIZE, ProducerIdManager.open(dir).generate());
    }

    @Test
    void refusesACorruptFileNamingIt() throws IOException {
        ProducerIdManager.open(dir).generate();
        Path file = dir.resolve(ProducerIdManager.FILE_NAME);
        byte[] bytes = Files.readAllBytes(file);
        bytes[5] ^= 0x10;
        Files.write(file, bytes);
        KafkaStorageException e = assertThrows(KafkaStorageException.class, () -> ProducerIdManager.open(dir));
        assertTrue(e.getMessage().contains(ProducerIdManager.FILE_NAME) && e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void refusesATruncatedFile() throws IOException {
        Files.write(dir.resolve(ProducerIdManager.FILE_NAME), new byte[3]);
        KafkaStorageException e = assertThrows(KafkaStorageException.class, () -> ProducerIdManager.open(dir));
        assertTrue(e.getMessage().contains("3 bytes"), e.getMessage());
    }
}
