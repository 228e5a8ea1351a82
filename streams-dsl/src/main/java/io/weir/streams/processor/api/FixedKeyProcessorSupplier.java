package io.weir.streams.processor.api;

/** Makes a new {@link FixedKeyProcessor} for each task; must return a new instance on every call. */
@FunctionalInterface
public interface FixedKeyProcessorSupplier<KIn, VIn, VOut> {
    FixedKeyProcessor<KIn, VIn, VOut> get();
}
