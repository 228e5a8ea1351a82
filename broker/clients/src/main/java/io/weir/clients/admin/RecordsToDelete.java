package io.weir.clients.admin;

/**
 * Which records of a partition {@link Admin#deleteRecords} deletes: every one before an offset, as Kafka's
 * {@code RecordsToDelete}. Immutable.
 */
public final class RecordsToDelete {
    /** Every record below the partition's high watermark: all that is readable now. */
    public static final long HIGH_WATERMARK = -1L;

    private final long offset;

    private RecordsToDelete(long offset) {
        this.offset = offset;
    }

    /**
     * Every record before {@code offset}: the partition's log start offset moves up to it. An offset at or below the
     * log start deletes nothing; one past the high watermark fails that partition with
     * {@link io.weir.common.errors.OffsetOutOfRangeException}.
     *
     * @param offset an offset &gt;= 0, or {@link #HIGH_WATERMARK} (-1) for the partition's high watermark
     * @throws IllegalArgumentException if {@code offset} is negative other than -1
     */
    public static RecordsToDelete beforeOffset(long offset) {
        if (offset < HIGH_WATERMARK) {
            throw new IllegalArgumentException("RecordsToDelete.beforeOffset needs an offset >= 0, or -1 for the "
                    + "high watermark, but got " + offset);
        }
        return new RecordsToDelete(offset);
    }

    /** The offset before which records are deleted; -1 for the high watermark. */
    public long beforeOffset() {
        return offset;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof RecordsToDelete other && other.offset == offset;
    }

    @Override
    public int hashCode() {
        return Long.hashCode(offset);
    }

    @Override
    public String toString() {
        return "(beforeOffset = " + offset + ")";
    }
}
