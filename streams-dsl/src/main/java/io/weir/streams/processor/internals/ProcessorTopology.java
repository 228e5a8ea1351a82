package io.weir.streams.processor.internals;

import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * One sub-topology, instantiated for one task: fresh processors, linked to their children. Sources are found
 * by topic, or by pattern for a pattern subscription.
 */
final class ProcessorTopology {
    private final List<ProcessorNode> nodes;
    private final Map<String, ProcessorNode> sourceByTopic;
    private final Map<Pattern, ProcessorNode> sourceByPattern;

    ProcessorTopology(
            List<ProcessorNode> nodes,
            Map<String, ProcessorNode> sourceByTopic,
            Map<Pattern, ProcessorNode> sourceByPattern) {
        this.nodes = List.copyOf(nodes);
        this.sourceByTopic = Map.copyOf(sourceByTopic);
        this.sourceByPattern = Map.copyOf(sourceByPattern);
    }

    /** Every node, sources first, in the order they were added. */
    List<ProcessorNode> nodes() {
        return nodes;
    }

    /** The source reading {@code topic}, or null. */
    ProcessorNode source(String topic) {
        ProcessorNode source = sourceByTopic.get(topic);
        if (source != null) {
            return source;
        }
        for (Map.Entry<Pattern, ProcessorNode> e : sourceByPattern.entrySet()) {
            if (e.getKey().matcher(topic).matches()) {
                return e.getValue();
            }
        }
        return null;
    }
}
