package io.weir.common.errors;

import io.weir.common.TopicPartition;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A segment file holds bytes that are not the record batch the broker expected where it read them: a length,
 * magic or CRC that does not check, or offsets that do not continue where the previous batch ended (the base
 * offset lies outside the CRC, so only its order can betray a damaged one). Carries where the broker read:
 * the partition when the caller knows it, the segment file, the byte position of the batch in that file and
 * the offset the read was looking for (or expected there).
 */
public class CorruptSegmentException extends CorruptRecordException {
    private final TopicPartition topicPartition;
    private final Path file;
    private final long position;
    private final long offset;
    private final String problem;

    public CorruptSegmentException(Path file, long position, long offset, String problem) {
        this(null, file, position, offset, problem, null);
    }

    public CorruptSegmentException(Path file, long position, long offset, String problem, Throwable cause) {
        this(null, file, position, offset, problem, cause);
    }

    private CorruptSegmentException(
            TopicPartition topicPartition, Path file, long position, long offset, String problem, Throwable cause) {
        super(
                (topicPartition == null ? "" : topicPartition + ": ") + "corrupt record batch in " + file + " at byte "
                        + position + " (reading offset " + offset + "): " + problem,
                cause);
        this.topicPartition = topicPartition;
        this.file = file;
        this.position = position;
        this.offset = offset;
        this.problem = problem;
    }

    /** The same report naming the partition, for a caller that knows which one the segment belongs to. */
    public CorruptSegmentException in(TopicPartition partition) {
        if (topicPartition != null) {
            return this;
        }
        CorruptSegmentException named =
                new CorruptSegmentException(partition, file, position, offset, problem, getCause());
        named.setStackTrace(getStackTrace());
        return named;
    }

    public Optional<TopicPartition> topicPartition() {
        return Optional.ofNullable(topicPartition);
    }

    /** The segment file the bad bytes are in. */
    public Path file() {
        return file;
    }

    /** The byte position, in {@link #file()}, of the batch that does not check. */
    public long position() {
        return position;
    }

    /** The offset the broker was reading, or expected the batch at {@link #position()} to start at. */
    public long offset() {
        return offset;
    }

    /** What is wrong with the bytes, without the location. */
    public String problem() {
        return problem;
    }
}
