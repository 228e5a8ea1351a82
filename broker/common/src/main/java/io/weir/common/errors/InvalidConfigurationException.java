package io.weir.common.errors;

/** A configuration key or value that is refused; the message names the key, the value and why. */
public class InvalidConfigurationException extends WeirException {
    public InvalidConfigurationException(String message) {
        super(message);
    }

    public InvalidConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
