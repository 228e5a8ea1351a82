package io.weir.broker.internals.log;

import io.weir.common.TopicPartition;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory's {@code .weir_cleanshutdown}: present only between a clean close and the next open. Empty, it
 * says every partition was closed cleanly. A broker that opens logs on first use may close before it opened a
 * partition left by a crash; such a partition was never recovered, so the marker then lists it (a {@code 0} version
 * line, then {@code topic partition} per line, written atomically) and the next open recovers it from its
 * checkpointed recovery point as after a crash. A marker that does not parse counts as absent: every partition is
 * recovered, which costs time but never trusts an unrecovered log.
 */
final class CleanShutdownMarker {
    private static final Logger LOG = LoggerFactory.getLogger(CleanShutdownMarker.class);
    static final String FILE = ".weir_cleanshutdown";
    private static final String VERSION = "0";

    /**
     * What an open found.
     *
     * @param clean       whether the marker was there (and parsed)
     * @param unrecovered the partitions a clean close left still needing crash recovery
     */
    record Found(boolean clean, Set<TopicPartition> unrecovered) {
        /** How {@code tp} was left. */
        Shutdown shutdownOf(TopicPartition tp, long checkpointedRecoveryPoint) {
            return clean && !unrecovered.contains(tp) ? Shutdown.CLEAN : Shutdown.crash(checkpointedRecoveryPoint);
        }
    }

    private CleanShutdownMarker() {}

    static Found read(Path marker) throws IOException {
        if (!Files.exists(marker)) {
            return new Found(false, Set.of());
        }
        List<String> lines = Files.readAllLines(marker, StandardCharsets.ISO_8859_1);
        if (lines.isEmpty()) {
            return new Found(true, Set.of());
        }
        Set<TopicPartition> unrecovered = new HashSet<>();
        try {
            if (!lines.get(0).trim().equals(VERSION)) {
                throw new IllegalArgumentException("no version " + VERSION + " line");
            }
            for (String line : lines.subList(1, lines.size())) {
                if (line.isBlank()) {
                    continue;
                }
                String[] parts = line.trim().split(" ");
                unrecovered.add(new TopicPartition(parts[0], Integer.parseInt(parts[1])));
            }
        } catch (RuntimeException e) {
            LOG.warn("The clean-shutdown marker " + marker + " does not parse (" + e + "): recovering every partition"
                    + " as after a crash");
            return new Found(false, Set.of());
        }
        return new Found(true, Set.copyOf(unrecovered));
    }

    /** Writes the marker naming {@code unrecovered}: an empty file when there are none, as every close wrote it. */
    static void write(FileChannelFactory channels, Path marker, Set<TopicPartition> unrecovered) throws IOException {
        if (unrecovered.isEmpty()) {
            try (FileChannel ignored = channels.open(marker, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
                // an empty file: its presence is the message
            } catch (IOException e) {
                throw FileWriteException.of(marker, "create", e);
            }
            return;
        }
        StringBuilder out = new StringBuilder(VERSION).append('\n');
        unrecovered.stream()
                .sorted(java.util.Comparator.comparing(TopicPartition::topic)
                        .thenComparingInt(TopicPartition::partition))
                .forEach(tp -> out.append(tp.topic())
                        .append(' ')
                        .append(tp.partition())
                        .append('\n'));
        LogFiles.writeAtomically(channels, marker, out.toString().getBytes(StandardCharsets.ISO_8859_1));
    }
}
