package io.weir.clients.admin;

/**
 * What {@link Admin#listOffsets} looks up for a partition: the earliest offset, the latest (the log end
 * offset), the first offset whose timestamp is at or after a given time, or the offset of the record with
 * the largest timestamp.
 */
public sealed interface OffsetSpec {

    static OffsetSpec earliest() {
        return Earliest.INSTANCE;
    }

    static OffsetSpec latest() {
        return Latest.INSTANCE;
    }

    static OffsetSpec maxTimestamp() {
        return MaxTimestamp.INSTANCE;
    }

    /**
     * @throws IllegalArgumentException if {@code timestamp} is negative
     */
    static OffsetSpec forTimestamp(long timestamp) {
        return new ForTimestamp(timestamp);
    }

    enum Earliest implements OffsetSpec {
        INSTANCE
    }

    enum Latest implements OffsetSpec {
        INSTANCE
    }

    enum MaxTimestamp implements OffsetSpec {
        INSTANCE
    }

    record ForTimestamp(long timestamp) implements OffsetSpec {
        public ForTimestamp {
            if (timestamp < 0) {
                throw new IllegalArgumentException(
                        "OffsetSpec.forTimestamp needs a timestamp >= 0, but got " + timestamp);
            }
        }
    }
}
