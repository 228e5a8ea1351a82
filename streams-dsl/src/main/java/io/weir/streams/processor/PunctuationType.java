package io.weir.streams.processor;

/** Which clock a punctuation follows. */
public enum PunctuationType {
    /** Stream time: the largest record timestamp a task has seen; it moves only when records arrive. */
    STREAM_TIME,
    /** Wall-clock time of the application's clock (the test driver's, which moves when told). */
    WALL_CLOCK_TIME
}
