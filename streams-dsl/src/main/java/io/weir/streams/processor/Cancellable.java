package io.weir.streams.processor;

/** A scheduled punctuation, which its owner may cancel. */
@FunctionalInterface
public interface Cancellable {
    void cancel();
}
