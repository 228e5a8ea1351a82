package io.weir.clients.admin;

import java.util.List;

/** The cluster id, the controller's broker id and the broker nodes; an embedded broker is a cluster of one. */
public record ClusterDescription(String clusterId, int controllerId, List<Node> nodes) {

    public ClusterDescription {
        nodes = List.copyOf(nodes);
    }

    public record Node(int id, String host, int port) {}
}
