package io.weir.streams;

import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a {@link Topology} is made of, as Kafka Streams describes it: sub-topologies (nodes connected by parent
 * links; records cross between sub-topologies only through topics) of sources, processors and sinks. Its
 * {@code toString()} prints Kafka's layout.
 */
public interface TopologyDescription {

    /** Its sub-topologies, ordered by id. */
    Set<Subtopology> subtopologies();

    /** Its global stores, each a source and the processor that keeps the store, ordered by id. */
    Set<GlobalStore> globalStores();

    /**
     * A global store: a source reading its topic and the processor that writes the store, run by the global stream
     * thread of every instance rather than as tasks. Printed as Kafka Streams prints it; Weir numbers global stores
     * after the sub-topologies (Kafka numbers all of them together, by source name).
     */
    interface GlobalStore {
        Source source();

        Processor processor();

        int id();
    }

    /** A connected part of the topology, run as one task per partition of its source topics. */
    interface Subtopology {
        int id();

        /** Its nodes, in Kafka's order: larger sub-trees first, then by name. */
        Set<Node> nodes();
    }

    interface Node {
        String name();

        /** The nodes it takes records from, in Kafka's order (as {@link Subtopology#nodes()}). */
        Set<Node> predecessors();

        /** The nodes it forwards to, in Kafka's order (as {@link Subtopology#nodes()}). */
        Set<Node> successors();
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
