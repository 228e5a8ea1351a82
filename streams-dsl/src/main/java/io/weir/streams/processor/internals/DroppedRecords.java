package io.weir.streams.processor.internals;

import io.weir.streams.processor.api.ProcessorContext;

/**
 * How a DSL processor counts a record it drops for lateness (Kafka Streams' {@code dropped-records} sensor): into its
 * task's {@link StreamTask#droppedRecords()}.
 */
public final class DroppedRecords {
    private DroppedRecords() {}

    /** Counts one dropped record against the task {@code context} belongs to. */
    public static void record(ProcessorContext<?, ?> context) {
        ((ProcessorContextImpl) context).task().recordDropped();
    }
}
