package io.weir.broker.network.internals;

/** Who this broker is to a Kafka client: node id, cluster id and the advertised address. */
public record BrokerIdentity(int nodeId, String clusterId, String host, int port) {}
