package io.weir.common.errors;

/** A member's protocol type or assignment strategies share nothing with the group's current members. */
public class InconsistentGroupProtocolException extends WeirException {
    public InconsistentGroupProtocolException(String message) {
        super(message);
    }

    public InconsistentGroupProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
