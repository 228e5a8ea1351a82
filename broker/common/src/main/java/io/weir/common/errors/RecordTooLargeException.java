package io.weir.common.errors;

/** A record or batch is larger than the producer's max.request.size or the topic's max.message.bytes; the message names both sizes. */
public class RecordTooLargeException extends WeirException {
    public RecordTooLargeException(String message) {
        super(message);
    }

    public RecordTooLargeException(String message, Throwable cause) {
        super(message, cause);
    }
}
