package io.weir.streams.processor;

/**
 * State a task keeps across records: a store a processor reaches through {@code ProcessorContext.getStateStore}.
 * Opened and closed by the task that owns it, and used by that task's thread only (interactive queries read a
 * separate view of committed data).
 */
public interface StateStore {

    String name();

    /** Whether its data outlives the process (LMDB) or not (memory). */
    boolean persistent();

    boolean isOpen();
}
