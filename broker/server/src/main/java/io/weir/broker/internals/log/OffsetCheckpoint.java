package io.weir.broker.internals.log;

import io.weir.common.TopicPartition;
import java.io.IOException;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An offset per partition in Kafka's checkpoint text format: a version line ({@code 0}), a count line, then
 * {@code topic partition offset} per line, written atomically. It holds the recovery points
 * ({@code recovery-point-offset-checkpoint}) and the cleaner's progress ({@code cleaner-offset-checkpoint}).
 * Both only save work, so a missing or damaged file reads as empty: more of the log is re-checked, or
 * re-cleaned, rather than the broker refusing to start.
 */
public final class OffsetCheckpoint {
    private static final Logger LOG = LoggerFactory.getLogger(OffsetCheckpoint.class);
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
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (CharacterCodingException e) {
            return damaged("it is not text (" + e + ")");
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                return damaged("it has no version " + VERSION + " header");
            }
            int count = Integer.parseInt(lines.get(1).trim());
            for (int i = 0; i < count && i + 2 < lines.size(); i++) {
                String[] parts = lines.get(i + 2).trim().split(" ");
                points.put(new TopicPartition(parts[0], Integer.parseInt(parts[1])), Long.parseLong(parts[2]));
            }
        } catch (RuntimeException e) {
            return damaged("a line does not parse (" + e + ")");
        }
        return points;
    }

    /** A damaged file reads as empty: every partition is then re-checked, or re-cleaned, from its start. */
    private Map<TopicPartition, Long> damaged(String why) {
        LOG.warn("Ignoring the damaged checkpoint " + file + ": " + why
                + "; every partition is treated as if it had none");
        return new HashMap<>();
    }

    public void write(Map<TopicPartition, Long> points) throws IOException {
        StringBuilder out = new StringBuilder();
        out.append(VERSION).append('\n').append(points.size()).append('\n');
        points.forEach((tp, offset) -> out.append(tp.topic())
                .append(' ')
                .append(tp.partition())
                .append(' ')
                .append(offset)
                .append('\n'));
        LogFiles.writeAtomically(channels, file, out.toString().getBytes(StandardCharsets.UTF_8));
    }
}
