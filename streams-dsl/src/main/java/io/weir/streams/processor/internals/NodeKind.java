package io.weir.streams.processor.internals;

/** The three kinds of topology node. */
enum NodeKind {
    SOURCE,
    PROCESSOR,
    SINK
}
