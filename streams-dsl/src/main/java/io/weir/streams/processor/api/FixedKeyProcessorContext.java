package io.weir.streams.processor.api;

/**
 * What a {@link FixedKeyProcessor} sees of its task: {@link ProcessingContext}, and forwarding of fixed-key records,
 * whose key is the input's. Used on the task's thread only.
 */
public interface FixedKeyProcessorContext<KForward, VForward> extends ProcessingContext {

    <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record);

    /** @throws io.weir.streams.errors.StreamsException if this processor has no child of that name */
    <K extends KForward, V extends VForward> void forward(FixedKeyRecord<K, V> record, String childName);
}
