package io.weir.clients.admin;

import java.util.List;

/** The producers one partition holds state for ({@link Admin#describeProducers}). */
public record PartitionProducerState(List<ProducerState> activeProducers) {
    public PartitionProducerState {
        activeProducers = List.copyOf(activeProducers);
    }
}
