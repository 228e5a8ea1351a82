package io.weir.broker.internals.log;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.NavigableSet;
import java.util.TreeSet;

/**
 * The producer-state snapshot files of one partition directory, {@code <offset>.snapshot} with the offset
 * zero-padded to 20 digits like a segment's. A snapshot at offset N holds the state of every batch below N;
 * the log writes one when a segment rolls (at the new segment's base) and on a clean close (at the log end),
 * so that a reopen replays only what follows. A file is written whole or not at all (a temporary file,
 * synced, then renamed).
 *
 * <p>Which files are kept: the newest two, so that a corrupt newest one still leaves a recent one, and the
 * newest at or below the recovery point, the one every crash leaves usable, since recovery never cuts the log
 * below that point. Retention drops the files below the log start.
 *
 * <p>Threading: used by the partition's writer under the log's lock, or by the loader before the log is
 * published. The set of offsets mirrors the directory.
 */
final class ProducerStateSnapshots {
    static final String SUFFIX = ".snapshot";
    private static final int RETAINED_NEWEST = 2;

    private final Path dir;
    private final FileChannelFactory channels;
    private final NavigableSet<Long> offsets = new TreeSet<>();

    private ProducerStateSnapshots(Path dir, FileChannelFactory channels) {
        this.dir = dir;
        this.channels = channels;
    }

    /** The snapshots found in {@code dir}; new ones are written through {@code channels}. */
    static ProducerStateSnapshots scan(Path dir, FileChannelFactory channels) throws IOException {
        ProducerStateSnapshots snapshots = new ProducerStateSnapshots(dir, channels);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
            for (Path file : files) {
                String name = file.getFileName().toString();
                String stem = name.substring(0, name.length() - SUFFIX.length());
                if (stem.length() == 20 && stem.chars().allMatch(Character::isDigit)) {
                    snapshots.offsets.add(Long.parseLong(stem));
                }
            }
        }
        return snapshots;
    }

    Path path(long offset) {
        return dir.resolve(LogSegment.fileName(offset, SUFFIX));
    }

    /** Offsets with a snapshot, newest first. */
    List<Long> newestFirst() {
        return new ArrayList<>(offsets.descendingSet());
    }

    byte[] read(long offset) throws IOException {
        return Files.readAllBytes(path(offset));
    }

    void write(long offset, byte[] snapshot) throws IOException {
        LogFiles.writeAtomically(channels, path(offset), snapshot);
        offsets.add(offset);
    }

    void delete(long offset) throws IOException {
        LogFiles.delete(channels, path(offset));
        offsets.remove(offset);
    }

    /** Deletes the snapshots outside {@code [low, high]}: ones a truncation or retention made useless. */
    void deleteOutside(long low, long high) throws IOException {
        for (long offset : List.copyOf(offsets)) {
            if (offset < low || offset > high) {
                delete(offset);
            }
        }
    }

    /** Deletes every snapshot but the newest two and the newest at or below {@code recoveryPoint}. */
    void retain(long recoveryPoint) throws IOException {
        List<Long> newest = newestFirst();
        Long safe = offsets.floor(recoveryPoint);
        for (int i = RETAINED_NEWEST; i < newest.size(); i++) {
            long offset = newest.get(i);
            if (safe == null || offset != safe) {
                delete(offset);
            }
        }
    }
}
