package io.weir.common.errors;

/** A key or value could not be turned into bytes, or bytes back into a key or value. */
public class SerializationException extends WeirException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
