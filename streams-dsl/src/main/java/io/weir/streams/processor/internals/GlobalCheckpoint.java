package io.weir.streams.processor.internals;

import io.weir.common.TopicPartition;
import io.weir.streams.errors.StreamsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The global stores' checkpoint, {@code <state.dir>/<application.id>/global/.checkpoint}, in Kafka Streams'
 * {@code OffsetCheckpoint} layout: a version line ({@code 0}), a count line, then {@code <topic> <partition> <offset>}
 * per line, the offset being the next one to read from that partition of a global topic.
 *
 * <p>Written whole to a temporary file, forced, then renamed over the old one, so a crash leaves either checkpoint.
 * The global thread writes it only after the stores committed every record before those offsets, so the stores are
 * never behind their checkpoint (see {@link GlobalStreamThread}). Used by the global thread only.
 */
final class GlobalCheckpoint {
    static final String FILE = ".checkpoint";
    private static final int VERSION = 0;

    private GlobalCheckpoint() {}

    /**
     * The offsets in {@code file}; empty if there is none.
     *
     * @throws StreamsException if the file cannot be read or is not a checkpoint
     */
    static Map<TopicPartition, Long> read(Path file) {
        if (!Files.exists(file)) {
            return Map.of();
        }
        try {
            List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new StreamsException("The global checkpoint " + file + " is not a version " + VERSION
                        + " checkpoint; delete it to restore the global stores in full");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (lines.size() < 2 + count) {
                throw new StreamsException(
                        "The global checkpoint " + file + " announces " + count + " offsets but holds "
                                + (lines.size() - 2) + "; delete it to restore the global stores in full");
            }
            Map<TopicPartition, Long> offsets = new LinkedHashMap<>();
            for (int i = 2; i < 2 + count; i++) {
                String[] parts = lines.get(i).trim().split(" ");
                if (parts.length != 3) {
                    throw new StreamsException("Line " + (i + 1) + " of the global checkpoint " + file + " is '"
                            + lines.get(i) + "', not '<topic> <partition> <offset>'");
                }
                offsets.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
            return offsets;
        } catch (IOException | NumberFormatException e) {
            throw new StreamsException("Could not read the global checkpoint " + file + ": " + e, e);
        }
    }

    /** Replaces {@code file} with {@code offsets}, durably. */
    static void write(Path file, Map<TopicPartition, Long> offsets) {
        Map<String, Long> sorted = new TreeMap<>();
        offsets.forEach((tp, offset) -> sorted.put(tp.topic() + " " + tp.partition(), offset));
        StringBuilder text = new StringBuilder()
                .append(VERSION)
                .append('\n')
                .append(sorted.size())
                .append('\n');
        sorted.forEach(
                (tp, offset) -> text.append(tp).append(' ').append(offset).append('\n'));
        try {
            StateDirectory.writeAtomically(file, text.toString());
        } catch (IOException e) {
            throw new StreamsException("Could not write the global checkpoint " + file + ": " + e, e);
        }
    }
}
