package io.weir.broker.internals.log;

/** Where a read of a log leaves the batches it returns. */
public enum ReadMode {
    /** Read into a heap buffer: what in-process readers and every decoding reader need. */
    COPY,
    /**
     * Left in the segment file ({@link FetchDataInfo#onDisk}) where the batches are returned whole as they lie, so
     * a network listener can send them from the page cache; read into a heap buffer ({@link #COPY}) where only some
     * of the bytes read are returned (read_committed with a last stable offset below the high watermark).
     */
    FILE_SLICE
}
