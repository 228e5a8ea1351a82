package io.weir.streams.errors;

import io.weir.common.errors.WeirException;

/** A failure of a streams application: processing, serialization or the runtime. Names what failed. */
public class StreamsException extends WeirException {
    public StreamsException(String message) {
        super(message);
    }

    public StreamsException(String message, Throwable cause) {
        super(message, cause);
    }
}
