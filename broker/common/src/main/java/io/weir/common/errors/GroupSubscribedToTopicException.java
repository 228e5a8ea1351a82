package io.weir.common.errors;

/** Offsets of a topic were to be deleted while the group's live members subscribe to that topic. */
public class GroupSubscribedToTopicException extends WeirException {
    public GroupSubscribedToTopicException(String message) {
        super(message);
    }

    public GroupSubscribedToTopicException(String message, Throwable cause) {
        super(message, cause);
    }
}
