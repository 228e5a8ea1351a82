package io.weir.clients.consumer;

/** The first offset whose record timestamp is at or after the time asked for, and that record's timestamp. */
public record OffsetAndTimestamp(long offset, long timestamp) {}
