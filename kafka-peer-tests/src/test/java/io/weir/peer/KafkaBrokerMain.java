package io.weir.peer;

import java.io.IOException;
import java.io.PrintStream;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The child JVM's entry point: writes a single-node KRaft configuration (broker and controller in one process,
 * PLAINTEXT on the given ports, replication factor 1 everywhere, group and transaction topics of one partition
 * so that start-up stays short), formats the storage with a random cluster id, then runs {@code kafka.Kafka}
 * until it is killed. In one JVM, because each JVM start costs a second or more on this machine. It halts itself
 * when its standard input ends: the parent (the test JVM) holds the other end, so a parent that dies without
 * killing it — a crashed Surefire fork — leaves no orphaned broker behind.
 *
 * <p>Arguments: data directory, broker port, controller port, cluster id.
 */
public final class KafkaBrokerMain {
    private KafkaBrokerMain() {}

    public static void main(String[] args) throws IOException {
        Path dir = Path.of(args[0]);
        int port = Integer.parseInt(args[1]);
        int controllerPort = Integer.parseInt(args[2]);
        String clusterId = args[3];
        haltWhenParentDies();
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
                    "num.partitions=1",
                    "num.network.threads=2",
                    "num.io.threads=2",
                    "offsets.topic.replication.factor=1",
                    "offsets.topic.num.partitions=1",
                    "transaction.state.log.replication.factor=1",
                    "transaction.state.log.min.isr=1",
                    "transaction.state.log.num.partitions=1",
                    "share.coordinator.state.topic.replication.factor=1",
                    "share.coordinator.state.topic.min.isr=1",
                    // Tests' groups rebalance at once, and may use short sessions.
                    "group.initial.rebalance.delay.ms=0",
                    "group.min.session.timeout.ms=500",
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

    /** Reads standard input until it ends, which happens when the parent JVM exits, then halts this JVM. */
    private static void haltWhenParentDies() {
        Thread watch = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // the parent never writes; only the end matters
                        }
                    } catch (IOException parentGone) {
                        // the pipe broke: the parent is gone just the same
                    }
                    Runtime.getRuntime().halt(3);
                },
                "parent-death-watch");
        watch.setDaemon(true);
        watch.start();
    }
}
