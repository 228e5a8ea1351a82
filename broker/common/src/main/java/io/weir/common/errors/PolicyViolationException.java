package io.weir.common.errors;

/**
 * A request the broker refuses because a topic's policy forbids it: deleting records of a topic whose
 * {@code cleanup.policy} is {@code compact} only, which must keep every key's latest record (Kafka's
 * POLICY_VIOLATION).
 */
public class PolicyViolationException extends WeirException {
    public PolicyViolationException(String message) {
        super(message);
    }

    public PolicyViolationException(String message, Throwable cause) {
        super(message, cause);
    }
}
