package io.weir.broker.internals.log;

import io.weir.common.utils.Time;
import java.nio.file.Path;

/**
 * What every log of one log directory shares with the others: how their files are opened, whether the
 * directory is still trusted, and who deletes the files of removed segments. The directory's
 * {@code LogManager} creates it and owns all three.
 *
 * @param channels opens every file and directory the logs write or sync
 * @param failures the directory's offline state and the storage-failure rule ({@link LogDirFailureChannel})
 * @param deleter  deletes retired segments' files after {@code file.delete.delay.ms}
 */
public record LogDirContext(FileChannelFactory channels, LogDirFailureChannel failures, SegmentDeleter deleter) {

    /** The context of a directory's logs, opening files with {@code channels}. */
    public static LogDirContext of(Path logDir, FileChannelFactory channels, Time time) {
        return new LogDirContext(channels, new LogDirFailureChannel(logDir), new SegmentDeleter(time));
    }

    /** A context of its own for a log or cleaner used alone, without a log manager (tests and tools). */
    public static LogDirContext standalone(Path logDir, Time time) {
        return of(logDir, FileChannelFactory.SYSTEM, time);
    }
}
