package io.weir.streams.processor.api;

/**
 * A processor that may change values but not keys ({@code KStream.processValues}). One instance per task, called by
 * that task's thread only.
 */
public interface FixedKeyProcessor<KIn, VIn, VOut> {

    default void init(FixedKeyProcessorContext<KIn, VOut> context) {}

    void process(FixedKeyRecord<KIn, VIn> record);

    default void close() {}
}
