package io.weir.peer;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.kafka.clients.admin.Admin;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A real Apache Kafka 4.1 broker (single-node KRaft, PLAINTEXT on a free port) in a child JVM started from this
 * module's test class path, once per test run: the first test class that needs it starts it
 * ({@code @ExtendWith(KafkaBroker.class)}), JUnit closes it after the last test of the run (it is kept in the root
 * context's store), and the child is killed with its data directory deleted — also when start-up fails, when the
 * test JVM exits (a shutdown hook) and when it dies (the child halts when its standard input ends). Its start-up time (launch until an
 * admin client sees the node) is printed and kept in {@link #startupMillis()}.
 *
 * <p>Thread-safe: the broker is started under the root store's lock, and read-only afterwards.
 */
public final class KafkaBroker implements BeforeAllCallback {
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(90);
    private static final int START_ATTEMPTS = 3;
    private static volatile Running running;

    @Override
    public void beforeAll(ExtensionContext context) {
        running = context.getRoot()
                .getStore(ExtensionContext.Namespace.GLOBAL)
                .getOrComputeIfAbsent(Running.class, k -> Running.start(), Running.class);
    }

    /** {@code host:port} of the running broker. */
    public static String bootstrapServers() {
        if (running == null) {
            throw new IllegalStateException("No Kafka broker: annotate the test class @ExtendWith(KafkaBroker.class)");
        }
        return running.bootstrap;
    }

    public static long startupMillis() {
        return running.startupMillis;
    }

    private record Running(Process process, Path dir, String bootstrap, long startupMillis)
            implements ExtensionContext.Store.CloseableResource {

        /**
         * Starts the child, retrying with new ports when it exits early (a port taken between choosing and binding
         * it) or answers with a foreign cluster id (another broker on the port). On any failure the child is killed
         * and its directory deleted.
         */
        static Running start() {
            IllegalStateException last = null;
            for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
                try {
                    return startOnce();
                } catch (PortTakenException e) {
                    last = e;
                    System.out.println(
                            "Kafka broker start attempt " + attempt + " failed, retrying: " + e.getMessage());
                }
            }
            throw new IllegalStateException("The Kafka broker did not start in " + START_ATTEMPTS + " attempts", last);
        }

        private static Running startOnce() {
            Path dir = null;
            Process process = null;
            try {
                dir = Files.createTempDirectory("weir-kafka-peer-");
                int port = freePort();
                int controllerPort = freePort();
                String clusterId = org.apache.kafka.common.Uuid.randomUuid().toString();
                String classPath =
                        System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
                List<String> command = new ArrayList<>(List.of(
                        Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx512m",
                        "-XX:+UseSerialGC",
                        // C1 only: the broker serves small tests, so fast start-up beats peak throughput.
                        "-XX:TieredStopAtLevel=1",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn",
                        "-cp",
                        classPath,
                        KafkaBrokerMain.class.getName(),
                        dir.toString(),
                        Integer.toString(port),
                        Integer.toString(controllerPort),
                        clusterId));
                Path log = dir.resolve("broker.out");
                long t0 = System.nanoTime();
                // Standard input stays a pipe from this JVM: the child halts when it ends (KafkaBrokerMain).
                process = new ProcessBuilder(command)
                        .redirectErrorStream(true)
                        .redirectOutput(log.toFile())
                        .start();
                Process child = process;
                Runtime.getRuntime().addShutdownHook(new Thread(child::destroyForcibly, "kafka-broker-killer"));
                String bootstrap = "127.0.0.1:" + port;
                awaitReady(process, bootstrap, clusterId, log);
                long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
                System.out.println("Apache Kafka broker (child JVM pid " + process.pid() + ") at " + bootstrap
                        + " started in " + millis + " ms (launch until an admin client sees the node)");
                return new Running(process, dir, bootstrap, millis);
            } catch (IOException | RuntimeException e) {
                kill(process);
                deleteQuietly(dir);
                if (e instanceof IOException io) {
                    throw new UncheckedIOException("Could not start the Kafka broker", io);
                }
                throw (RuntimeException) e;
            }
        }

        private static void awaitReady(Process process, String bootstrap, String clusterId, Path log)
                throws IOException {
            long deadline = System.nanoTime() + STARTUP_DEADLINE.toNanos();
            try (Admin admin = Admin.create(Map.of(
                    "bootstrap.servers", bootstrap, "request.timeout.ms", 1000, "default.api.timeout.ms", 2000))) {
                while (true) {
                    if (!process.isAlive()) {
                        throw new PortTakenException("The Kafka broker exited with " + process.exitValue()
                                + " while starting (a port taken?); its output:\n" + Files.readString(log));
                    }
                    String answered = null;
                    try {
                        var cluster = admin.describeCluster();
                        if (!cluster.nodes().get(2, TimeUnit.SECONDS).isEmpty()) {
                            answered = cluster.clusterId().get(2, TimeUnit.SECONDS);
                        }
                    } catch (Exception notYet) {
                        // not listening yet: try again until the deadline
                    }
                    if (answered != null) {
                        if (answered.equals(clusterId)) {
                            return;
                        }
                        throw new PortTakenException("Another broker (cluster " + answered + ", not " + clusterId
                                + ") answered at " + bootstrap);
                    }
                    if (System.nanoTime() > deadline) {
                        throw new IllegalStateException("The Kafka broker did not start within " + STARTUP_DEADLINE
                                + "; its output:\n" + Files.readString(log));
                    }
                }
            }
        }

        private static int freePort() throws IOException {
            try (ServerSocket socket = new ServerSocket(0)) {
                return socket.getLocalPort();
            }
        }

        /** Kills the child outright: its data directory is thrown away, so a controlled shutdown buys nothing. */
        @Override
        public void close() {
            kill(process);
            deleteQuietly(dir);
        }

        private static void kill(Process process) {
            if (process == null) {
                return;
            }
            process.destroyForcibly();
            try {
                process.waitFor(30, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static void deleteQuietly(Path dir) {
            if (dir == null) {
                return;
            }
            try (Stream<Path> files = Files.walk(dir)) {
                files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
            } catch (IOException e) {
                System.out.println("Could not delete the Kafka broker's directory " + dir + ": " + e);
            }
        }
    }

    /** The child could not take its ports, or another broker answered on them: worth a retry on new ports. */
    private static final class PortTakenException extends IllegalStateException {
        PortTakenException(String message) {
            super(message);
        }
    }
}
