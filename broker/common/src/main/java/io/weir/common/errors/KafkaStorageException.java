package io.weir.common.errors;

/** The broker could not read or write a partition's files (disk full, I/O error, unwritable directory). */
public class KafkaStorageException extends RetriableException {
    public KafkaStorageException(String message) {
        super(message);
    }

    public KafkaStorageException(String message, Throwable cause) {
        super(message, cause);
    }
}
