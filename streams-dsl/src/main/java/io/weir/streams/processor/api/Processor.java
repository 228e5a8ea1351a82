package io.weir.streams.processor.api;

/**
 * A node of a topology that takes records and forwards results to its children through its context. One
 * instance serves one task and is called by that task's thread only, so it needs no synchronisation.
 *
 * @param <KIn>  key type of the records it takes
 * @param <VIn>  value type of the records it takes
 * @param <KOut> key type of the records it forwards
 * @param <VOut> value type of the records it forwards
 */
public interface Processor<KIn, VIn, KOut, VOut> {

    /** Called once before the first record, with the context to forward through and schedule on. */
    default void init(ProcessorContext<KOut, VOut> context) {}

    void process(Record<KIn, VIn> record);

    /** Called once when the task closes. */
    default void close() {}
}
