package io.weir.broker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.broker.FaultyDisk.Op;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The test disk itself: a failed force loses what the kernel may drop, so storage-failure tests can see it. */
class FaultyDiskTest {
    @TempDir
    Path dir;

    private final FaultyDisk disk = new FaultyDisk();

    @Test
    void aFailedForceDropsWhatWasWrittenSinceTheLastSuccessfulOne() throws IOException {
        Path file = dir.resolve("segment.log");
        try (FileChannel channel =
                disk.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
            channel.write(ByteBuffer.wrap(new byte[100]));
            channel.force(true);
            channel.write(ByteBuffer.wrap(new byte[50]));
            disk.failOnce(Op.FORCE, file::equals, () -> {});

            assertThrows(IOException.class, () -> channel.force(true));

            assertEquals(100, Files.size(file), "the unsynced 50 bytes are gone");
            channel.write(ByteBuffer.wrap(new byte[10]), 100);
            channel.force(true); // a later sync succeeds, as on Linux after a writeback error
        }
        assertEquals(110, Files.size(file));
    }

    @Test
    void aFileThatWasThereBeforeCountsAsSyncedAndARenameKeepsItsSyncedLength() throws IOException {
        Path file = dir.resolve("checkpoint.tmp");
        Files.write(file, new byte[30]);
        Path renamed = dir.resolve("checkpoint");
        try (FileChannel channel = disk.open(file, StandardOpenOption.WRITE, StandardOpenOption.APPEND)) {
            channel.write(ByteBuffer.wrap(new byte[20]));
        }
        disk.rename(file, renamed);
        try (FileChannel channel = disk.open(renamed, StandardOpenOption.WRITE)) {
            disk.fail(Op.FORCE, renamed::equals);
            assertThrows(IOException.class, () -> channel.force(false));
        }
        assertEquals(30, Files.size(renamed), "only what was there when the disk first opened it survives");
    }
}
