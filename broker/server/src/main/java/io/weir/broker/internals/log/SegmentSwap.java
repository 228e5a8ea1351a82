package io.weir.broker.internals.log;

import io.weir.common.errors.KafkaStorageException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a segment written by the log cleaner replaces the segments it was made from, so that a crash at any
 * moment leaves the log with either all the old segments or the new one, never a mix. Kafka renames the new
 * files {@code .swap}; here a small marker also records which offsets the swap replaces, because a cleaned
 * segment may end well before the range it stands for (its last batches may all have been removed), and
 * recovery must know which old segments it supersedes.
 *
 * <ol>
 *   <li><b>Write.</b> The cleaner writes {@code <base>.log.cleaned} and its index files with the same
 *       suffix, and syncs them.</li>
 *   <li><b>Commit.</b> {@code <base>.swap} is written atomically, holding the end of the replaced range: the
 *       base offset of the first segment after the group. From here on recovery finishes the swap.</li>
 *   <li><b>Retire.</b> Every old segment's log file is renamed {@code .deleted} and its index files removed.</li>
 *   <li><b>Install.</b> {@code <base>.log.cleaned} is renamed {@code <base>.log}, then each index file loses
 *       its suffix; the directory is synced.</li>
 *   <li><b>Finish.</b> The marker is removed and the directory synced.</li>
 * </ol>
 *
 * <p>{@link #recover} runs when a log is opened, before its segments are: for each marker it redoes steps 3
 * to 5 (a marker with {@code <base>.log.cleaned} present means step 4 had not begun, so every plain segment
 * file in the range is old), and it deletes {@code .cleaned} files with no marker (a crash during step 1).
 */
final class SegmentSwap {
    static final String MARKER_SUFFIX = ".swap";

    private SegmentSwap() {}

    /** Step 2: makes the swap of the segments in {@code [base, end)} durable. */
    static void commit(Path dir, long base, long end, FileChannelFactory channels) throws IOException {
        LogFiles.writeAtomically(channels, marker(dir, base), (end + "\n").getBytes(StandardCharsets.UTF_8));
    }

    /** Whether a swap of the segment at {@code base} is committed and not yet finished. */
    static boolean isCommitted(Path dir, long base) {
        return Files.exists(marker(dir, base));
    }

    /** Step 4: moves the cleaned files into place, the log file first. */
    static void install(Path dir, long base, FileChannelFactory channels) throws IOException {
        for (String suffix : LogSegment.FILE_SUFFIXES) {
            Path cleaned = dir.resolve(LogSegment.fileName(base, suffix) + LogSegment.CLEANED_SUFFIX);
            if (Files.exists(cleaned)) {
                LogFiles.rename(channels, cleaned, dir.resolve(LogSegment.fileName(base, suffix)));
            }
        }
        LogFiles.syncDirectory(channels, dir);
    }

    /** Step 5. */
    static void finish(Path dir, long base, FileChannelFactory channels) throws IOException {
        LogFiles.delete(channels, marker(dir, base));
        LogFiles.syncDirectory(channels, dir);
    }

    /** Removes the files of an abandoned cleaning of the segment at {@code base}. */
    static void discardCleaned(Path dir, long base) throws IOException {
        for (String suffix : LogSegment.FILE_SUFFIXES) {
            Files.deleteIfExists(dir.resolve(LogSegment.fileName(base, suffix) + LogSegment.CLEANED_SUFFIX));
        }
    }

    /**
     * Finishes every committed swap in {@code dir} and removes what uncommitted cleanings left. Runs before
     * the log's segments are opened.
     */
    static void recover(Path dir, FileChannelFactory channels) throws IOException {
        List<Long> swaps = new ArrayList<>();
        List<Path> cleaned = new ArrayList<>();
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                if (name.endsWith(MARKER_SUFFIX)) {
                    swaps.add(parseBase(file, name.substring(0, name.length() - MARKER_SUFFIX.length())));
                } else if (name.endsWith(LogSegment.CLEANED_SUFFIX)) {
                    cleaned.add(file);
                }
            }
        }
        swaps.sort(null);
        for (long base : swaps) {
            Path marker = marker(dir, base);
            long end = readEnd(marker);
            boolean installStarted = !Files.exists(
                    dir.resolve(LogSegment.fileName(base, LogSegment.LOG_SUFFIX) + LogSegment.CLEANED_SUFFIX));
            retire(dir, base, end, installStarted);
            install(dir, base, channels);
            finish(dir, base, channels);
        }
        for (Path file : cleaned) {
            Files.deleteIfExists(file); // no marker: the cleaning never committed, the old segments stand
        }
    }

    /**
     * Step 3 during recovery: deletes the plain segment files with a base offset in {@code [base, end)}. Once
     * installing has started, the files at {@code base} are the new segment's and stay.
     */
    private static void retire(Path dir, long base, long end, boolean installStarted) throws IOException {
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                for (String suffix : LogSegment.FILE_SUFFIXES) {
                    if (name.length() == 20 + suffix.length() && name.endsWith(suffix)) {
                        String stem = name.substring(0, 20);
                        if (stem.chars().allMatch(Character::isDigit)) {
                            long offset = Long.parseLong(stem);
                            if (offset >= base && offset < end && !(installStarted && offset == base)) {
                                Files.deleteIfExists(file);
                            }
                        }
                    }
                }
            }
        }
    }

    private static Path marker(Path dir, long base) {
        return dir.resolve(LogSegment.fileName(base, MARKER_SUFFIX));
    }

    private static long parseBase(Path file, String stem) {
        if (stem.length() != 20 || !stem.chars().allMatch(Character::isDigit)) {
            throw new KafkaStorageException("Unexpected file " + file
                    + ": a swap marker is named by a 20-digit base offset;" + " move it away and reopen");
        }
        return Long.parseLong(stem);
    }

    private static long readEnd(Path marker) throws IOException {
        String text;
        try {
            text = Files.readString(marker, StandardCharsets.UTF_8).trim();
        } catch (NoSuchFileException e) {
            throw new KafkaStorageException("Swap marker " + marker + " vanished while the log was opened", e);
        }
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            // Written atomically, so damage here is not a torn write: refuse rather than guess which segments go.
            throw new KafkaStorageException(
                    "Swap marker " + marker + " holds '" + text + "', not an offset; it records"
                            + " which segments a cleaned segment replaces, so the log cannot be opened safely without it",
                    e);
        }
    }
}
