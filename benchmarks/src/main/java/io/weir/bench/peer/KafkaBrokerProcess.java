package io.weir.bench.peer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM running Apache Kafka 4.1's broker for a peer benchmark (started by {@link KafkaPeer}): a single-node
 * KRaft broker and controller on loopback with the settings the team's baseline used ({@code ../shared/peer/config/
 * server.properties}: 3 network and 8 I/O threads, Kafka's default of 50 partitions for the group and transaction
 * topics, no fsync per write), formatted with the given cluster id, run until killed. As {@code kafka-peer-tests}'
 * {@code KafkaBrokerMain}, it halts when its standard input ends, so a benchmark that dies leaves no broker behind.
 *
 * <p>Arguments: data directory, broker port, controller port, cluster id.
 */
public final class KafkaBrokerProcess {
    private KafkaBrokerProcess() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        String clusterId = args[3];
        KafkaPeer.haltWhenStdinEnds();
        Path properties = dir.resolve("server.properties");
        try (Writer w = Files.newBufferedWriter(properties)) {
            w.write(String.join(
                    "\n",
                    "process.roles=broker,controller",
                    "node.id=1",
                    "controller.quorum.voters=1@127.0.0.1:" + controllerPort,
                    "listeners=PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort,
                    "advertised.listeners=PLAINTEXT://127.0.0.1:" + port,
                    "controller.listener.names=CONTROLLER",
                    "inter.broker.listener.name=PLAINTEXT",
                    "listener.security.protocol.map=CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT",
                    "log.dirs=" + dir.resolve("logs"),
                    "num.network.threads=3",
                    "num.io.threads=8",
                    "num.partitions=1",
                    "offsets.topic.replication.factor=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    "group.initial.rebalance.delay.ms=0",
                    "auto.create.topics.enable=false",
                    ""));
        }
        int formatted = kafka.tools.StorageTool.execute(
                new String[] {"format", "-t", clusterId, "-c", properties.toString(), "--ignore-formatted"},
                new PrintStream(System.out, true));
        if (formatted != 0) {
            throw new IllegalStateException("Formatting the Kafka storage in " + dir + " failed: " + formatted);
        }
        kafka.Kafka.main(new String[] {properties.toString()});
    }
}
