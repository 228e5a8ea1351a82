package io.weir.common.protocol;

import java.util.Map;

/** Per topic, the new total partition count; it must be larger than the current count. */
public record CreatePartitionsRequest(Map<String, Integer> newTotalCounts, boolean validateOnly) {}
