package io.weir.broker.internals.log;

/** What one cleaning pass read, kept and used, for logs and the cleaner benchmark. Filled by one thread. */
public final class CleanerStats {
    long batchesRead;
    long recordsRead;
    long bytesRead;
    long recordsRetained;
    long bytesWritten;
    long mapEntries;
    long mapMemoryBytes;
    long elapsedNanos;

    public long bytesRead() {
        return bytesRead;
    }

    public long bytesWritten() {
        return bytesWritten;
    }

    public long recordsRead() {
        return recordsRead;
    }

    public long recordsRetained() {
        return recordsRetained;
    }

    public long mapEntries() {
        return mapEntries;
    }

    /** Bytes of the offset map's array at the end of the pass. */
    public long mapMemoryBytes() {
        return mapMemoryBytes;
    }

    public long elapsedNanos() {
        return elapsedNanos;
    }

    @Override
    public String toString() {
        double seconds = elapsedNanos / 1e9;
        return String.format(
                "read %d records (%.1f MB) in %d batches, kept %d records (%.1f MB), map %d keys in %.1f MB, %.2f s",
                recordsRead,
                bytesRead / 1e6,
                batchesRead,
                recordsRetained,
                bytesWritten / 1e6,
                mapEntries,
                mapMemoryBytes / 1e6,
                seconds);
    }
}
