package io.weir.streams.errors;

/** A topic the topology reads does not exist; Kafka Streams' {@code MissingSourceTopicException}. Create it first. */
public class MissingSourceTopicException extends StreamsException {
    public MissingSourceTopicException(String message) {
        super(message);
    }
}
