package io.weir.streams.errors;

/** The application was queried before {@code start()}; not retriable until it is started. */
public class StreamsNotStartedException extends InvalidStateStoreException {
    public StreamsNotStartedException(String message) {
        super(message);
    }

    public StreamsNotStartedException(String message, Throwable cause) {
        super(message, cause);
    }
}
