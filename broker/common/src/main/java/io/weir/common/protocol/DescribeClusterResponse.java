package io.weir.common.protocol;

import java.util.List;

/** The cluster id, the controller and the brokers; an embedded broker is a cluster of one. */
public record DescribeClusterResponse(String clusterId, int controllerId, List<Node> nodes) {

    public record Node(int id, String host, int port) {}
}
