package io.weir.common.errors;

/** A topic name that Kafka's rules refuse: empty, '.' or '..', longer than 249 characters, or with a character outside [a-zA-Z0-9._-]. */
public class InvalidTopicException extends WeirException {
    public InvalidTopicException(String message) {
        super(message);
    }

    public InvalidTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
