package io.weir.common.errors;

/** A batch repeats a sequence the partition already holds but is not one of the batches it can still recognise as a resend (only the last five per producer are kept). */
public class DuplicateSequenceException extends WeirException {
    public DuplicateSequenceException(String message) {
        super(message);
    }

    public DuplicateSequenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
