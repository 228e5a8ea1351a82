package io.weir.bench.peer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A standalone Weir broker in a child JVM ({@link WeirBrokerProcess}), the Weir side of a peer benchmark that drives
 * both brokers from outside with the same tools: the same heap and GC settings as {@link KafkaPeer}'s Kafka broker,
 * Kafka's flush behaviour ({@code log.flush.policy=os}, Weir's default: no fsync per write), no initial rebalance
 * delay (as the Kafka peer), on this jar alone (no Kafka jar but the kafka-clients Weir's listener is built on).
 *
 * <p>Killed when closed, when this JVM exits and when it dies. Not thread-safe: one benchmark thread drives it.
 */
public final class WeirPeer implements AutoCloseable {
    private final Process broker;
    private final Path dir;
    private final String bootstrap;
    private final long startupMillis;

    private WeirPeer(Process broker, Path dir, String bootstrap, long startupMillis) {
        this.broker = broker;
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.startupMillis = startupMillis;
    }

    /** Starts a fresh broker in a new directory under {@code parent}; throws (with its output) if it does not answer. */
    public static WeirPeer start(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "weir-peer-");
        int port = KafkaPeer.freePort();
        String clusterId = KafkaPeer.clusterId();
        Path log = dir.resolve("broker.out");
        long t0 = System.nanoTime();
        Process process = KafkaPeer.launch(
                List.of(
                        "-Xms1g",
                        "-Xmx1g",
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=20",
                        "-XX:InitiatingHeapOccupancyPercent=35",
                        "-XX:+ExplicitGCInvokesConcurrent",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                WeirBrokerProcess.class,
                List.of(
                        "--log.dirs",
                        dir.resolve("data").toString(),
                        "--listeners",
                        "PLAINTEXT://127.0.0.1:" + port,
                        "--cluster.id",
                        clusterId,
                        "--group.initial.rebalance.delay.ms",
                        "0"),
                log,
                KafkaPeer.self().toString());
        String bootstrap = "127.0.0.1:" + port;
        try {
            KafkaPeer.awaitReady(process, bootstrap, clusterId, log);
        } catch (RuntimeException e) {
            KafkaPeer.kill(process);
            throw e;
        }
        return new WeirPeer(process, dir, bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public long startupMillis() {
        return startupMillis;
    }

    /** Kills the broker and deletes its data. */
    @Override
    public void close() throws IOException {
        KafkaPeer.kill(broker);
        KafkaPeer.deleteRecursively(dir);
    }
}
