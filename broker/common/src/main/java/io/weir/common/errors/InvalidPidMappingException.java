package io.weir.common.errors;

/** The producer id and epoch sent with a {@code transactional.id} are not the ones the coordinator holds for it, or the id is unknown to the coordinator; call {@code initTransactions} again. */
public class InvalidPidMappingException extends WeirException {
    public InvalidPidMappingException(String message) {
        super(message);
    }

    public InvalidPidMappingException(String message, Throwable cause) {
        super(message, cause);
    }
}
