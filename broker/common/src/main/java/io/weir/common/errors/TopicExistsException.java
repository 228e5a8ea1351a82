package io.weir.common.errors;

/** A create for a topic that already exists. */
public class TopicExistsException extends WeirException {
    public TopicExistsException(String message) {
        super(message);
    }

    public TopicExistsException(String message, Throwable cause) {
        super(message, cause);
    }
}
