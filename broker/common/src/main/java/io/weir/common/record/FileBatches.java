package io.weir.common.record;

import java.nio.channels.FileChannel;
import java.nio.file.Path;

/**
 * Whole record batches (v2) lying in a file, left there rather than read: {@code size} bytes from byte
 * {@code position} of {@code channel}. {@code nextOffset} is the offset after the last batch's; {@code file} names
 * the file for messages only.
 *
 * <p>The channel belongs to whoever opened it (a log segment), which may close it at any time (the segment was
 * deleted): a holder that finds it closed must give up, never reopen {@code file} by name, since the log cleaner
 * may have swapped another file in under that name. Kafka's equivalent is a {@code FileRecords} slice.
 */
public record FileBatches(FileChannel channel, Path file, long position, int size, long nextOffset) {}
