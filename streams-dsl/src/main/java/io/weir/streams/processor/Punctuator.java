package io.weir.streams.processor;

/** What a scheduled punctuation runs; called on the task's thread with the time it fired for. */
@FunctionalInterface
public interface Punctuator {
    void punctuate(long timestamp);
}
