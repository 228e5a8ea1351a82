package io.weir.tools;

/** A command could not do what was asked; the message, printed as is, says why and what to do instead. */
final class CommandFailedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    CommandFailedException(String message) {
        super(message);
    }
}
