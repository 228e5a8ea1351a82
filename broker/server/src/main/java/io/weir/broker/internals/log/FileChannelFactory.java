package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.OpenOption;
import java.nio.file.Path;

/**
 * How the logs of a directory open their files: every segment, index, snapshot and checkpoint file, and every
 * directory they sync, is opened through one of these. Production uses {@link #SYSTEM}; a test passes one
 * whose channels fail a {@code write} or {@code force} where it wants, to show what a failing disk does to the
 * log (see {@link LogDirFailureChannel}).
 */
@FunctionalInterface
public interface FileChannelFactory {
    /** {@link FileChannel#open(Path, OpenOption...)}. */
    FileChannelFactory SYSTEM = FileChannel::open;

    /** Opens {@code path} as {@link FileChannel#open(Path, OpenOption...)} does. */
    FileChannel open(Path path, OpenOption... options) throws IOException;
}
