package io.weir.clients.admin;

/** The offset found for one partition by {@link Admin#listOffsets}; {@code -1} when no record matched. */
public record ListOffsetsResultInfo(long offset, long timestamp) {}
