package io.weir.transactions;

/**
 * The time source the state machines of this module read, injected so tests move a manual clock instead of
 * sleeping. The broker adapts its own time with {@code time::milliseconds}.
 */
@FunctionalInterface
public interface Clock {

    Clock SYSTEM = System::currentTimeMillis;

    /** Wall-clock milliseconds since the epoch, comparable with record timestamps. */
    long milliseconds();
}
