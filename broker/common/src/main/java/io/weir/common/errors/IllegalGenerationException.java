package io.weir.common.errors;

/** A group call carried a generation id that is not the group's current one: the member missed a rebalance and must rejoin. */
public class IllegalGenerationException extends WeirException {
    public IllegalGenerationException(String message) {
        super(message);
    }

    public IllegalGenerationException(String message, Throwable cause) {
        super(message, cause);
    }
}
