package io.weir.broker.internals.log;

import io.weir.common.TopicPartition;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * An offset per partition in Kafka's checkpoint text format: a version line ({@code 0}), a count line, then
 * {@code topic partition offset} per line, written atomically. It holds the recovery points
 * ({@code recovery-point-offset-checkpoint}) and the cleaner's progress ({@code cleaner-offset-checkpoint}).
 * Both only save work, so a missing or damaged file reads as empty: more of the log is re-checked, or
 * re-cleaned, rather than the broker refusing to start.
 */
public final class OffsetCheckpoint {
    private static final int VERSION = 0;
    private final Path file;
    private final FileChannelFactory channels;

    public OffsetCheckpoint(Path file) {
        this(file, FileChannelFactory.SYSTEM);
    }

    /** A checkpoint written through {@code channels}. */
    public OffsetCheckpoint(Path file, FileChannelFactory channels) {
        this.file = file;
        this.channels = channels;
    }

    public Path file() {
        return file;
    }

    public Map<TopicPartition, Long> read() throws IOException {
        Map<TopicPartition, Long> points = new HashMap<>();
        if (!Files.exists(file)) {
            return points;
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                return new HashMap<>();
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count && i + 2 < lines.size(); i++) {
                String[] parts = lines.get(i + 2).trim().split(" ");
                points.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (RuntimeException e) {
            return new HashMap<>(); // damaged: recover everything
        }
        return points;
    }

    public void write(Map<TopicPartition, Long> points) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(VERSION).append('\n').append(points.size()).append('\n');
        points.forEach((tp, offset) -> out.append(tp.topic()).append(' ').append(tp.partition()).append(' ').append(offset).append('\n'));
        LogFiles.writeAtomically(channels, file, out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
