package io.weir.common.errors;

/**
 * A new member's first join (KIP-394): the coordinator gave it a member id, carried by the answer, and expects it
 * to join again with that id.
 */
public class MemberIdRequiredException extends WeirException {
    public MemberIdRequiredException(String message) {
        super(message);
    }

    public MemberIdRequiredException(String message, Throwable cause) {
        super(message, cause);
    }
}
