package io.weir.state.errors;

/** A serde could not turn a value into bytes or back; names the type. */
public class SerializationException extends StateStoreException {
    public SerializationException(String message) {
        super(message);
    }

    public SerializationException(String message, Throwable cause) {
        super(message, cause);
    }
}
