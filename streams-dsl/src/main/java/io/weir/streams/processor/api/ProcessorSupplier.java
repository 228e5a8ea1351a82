package io.weir.streams.processor.api;

/**
 * Makes a new {@link Processor} for each task. Must return a new instance on every call: a topology runs one
 * processor per task, and tasks run on different threads.
 */
@FunctionalInterface
public interface ProcessorSupplier<KIn, VIn, KOut, VOut> {
    Processor<KIn, VIn, KOut, VOut> get();
}
