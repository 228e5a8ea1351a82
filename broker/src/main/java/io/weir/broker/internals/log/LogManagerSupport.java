package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** File-system helpers shared by the log and the log manager. */
public final class LogManagerSupport {
    private LogManagerSupport() {
    }

    /** Makes the directory's entries (created, renamed, deleted files) durable. */
    public static void syncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
