package io.weir.streams;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link Topology} is made of, as Kafka Streams describes it: sub-topologies (nodes connected by parent
 * links; records cross between sub-topologies only through topics) of sources, processors and sinks. Its
 * {@code toString()} prints Kafka's layout.
 */
public interface TopologyDescription {

    List<Subtopology> subtopologies();

    /** A connected part of the topology, run as one task per partition of its source topics. */
    interface Subtopology {
        int id();

        /** Its nodes, in the order they were added. */
        List<Node> nodes();
    }

    interface Node {
        String name();

        /** The nodes it takes records from, in the order they were named. */
        List<Node> predecessors();

        /** The nodes it forwards to, in the order they were added. */
        List<Node> successors();
    }

    interface Source extends Node {
        /** The topics it reads; empty for a pattern subscription. */
        Set<String> topicSet();

        /** Its pattern subscription, or null. */
        Pattern topicPattern();
    }

    interface Processor extends Node {
        /** The state stores it uses. */
        Set<String> stores();
    }

    interface Sink extends Node {
        /** Its topic, or null when a {@code TopicNameExtractor} chooses per record. */
        String topic();
    }
}
