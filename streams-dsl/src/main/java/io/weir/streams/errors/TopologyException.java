package io.weir.streams.errors;

/**
 * A topology that cannot run, found while it is built: a name used twice, a parent that does not exist, a
 * topic read by two sources, sources of one sub-topology with different partition counts. Names the operator
 * and, where one is involved, the topic.
 */
public class TopologyException extends StreamsException {
    public TopologyException(String message) {
        super("Invalid topology: " + message);
    }
}
