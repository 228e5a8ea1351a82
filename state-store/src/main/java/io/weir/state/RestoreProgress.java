package io.weir.state;

import io.weir.common.utils.Time;

/**
 * Progress of a restore.
 *
 * @param restored          records applied so far
 * @param total             records expected, or -1 if unknown
 * @param recordsPerSecond  average rate since the restore began, measured with the store's {@link Time}
 * @param lastOffset        changelog offset of the last record applied (now the checkpoint), -1 if none
 */
public record RestoreProgress(long restored, long total, double recordsPerSecond, long lastOffset) {}
