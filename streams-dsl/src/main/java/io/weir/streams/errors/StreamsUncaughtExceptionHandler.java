package io.weir.streams.errors;

/**
 * Decides what happens when a stream thread dies of an exception, as Kafka Streams'
 * {@code StreamsUncaughtExceptionHandler}. Called on the dying thread.
 */
@FunctionalInterface
public interface StreamsUncaughtExceptionHandler {

    StreamThreadExceptionResponse handle(Throwable exception);

    enum StreamThreadExceptionResponse {
        /** Start a new thread in place of the dead one; its tasks restore from their checkpoints. */
        REPLACE_THREAD,
        /** Shut this instance down: every thread stops and the client ends in {@code ERROR}. */
        SHUTDOWN_CLIENT,
        /**
         * Shut every instance of the application down: this one at once, the others at their next rebalance, which
         * this one's leaving starts.
         */
        SHUTDOWN_APPLICATION
    }
}
