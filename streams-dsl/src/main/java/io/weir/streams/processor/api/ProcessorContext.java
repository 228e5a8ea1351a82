package io.weir.streams.processor.api;

/**
 * What a {@link Processor} sees of its task: {@link ProcessingContext}, and where to forward records, with any key.
 * Used on the task's thread only.
 *
 * @param <KForward> key type of the records the processor forwards
 * @param <VForward> value type of the records the processor forwards
 */
public interface ProcessorContext<KForward, VForward> extends ProcessingContext {
    /** Hands {@code record} to every child of this processor, one after the other, before returning. */
    <K extends KForward, V extends VForward> void forward(Record<K, V> record);

    /**
     * Hands {@code record} to the named child only.
     *
     * @throws io.weir.streams.errors.StreamsException if this processor has no child of that name
     */
    <K extends KForward, V extends VForward> void forward(Record<K, V> record, String childName);
}
