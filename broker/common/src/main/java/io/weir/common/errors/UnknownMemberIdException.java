package io.weir.common.errors;

/** The group does not know this member id: the member was removed (session timeout, leave, rebalance) and must rejoin. */
public class UnknownMemberIdException extends WeirException {
    public UnknownMemberIdException(String message) {
        super(message);
    }

    public UnknownMemberIdException(String message, Throwable cause) {
        super(message, cause);
    }
}
