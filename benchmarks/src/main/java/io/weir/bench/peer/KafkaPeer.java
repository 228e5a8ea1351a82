package io.weir.bench.peer;

import io.weir.clients.admin.Admin;
import io.weir.clients.admin.ClusterDescription;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The Kafka side of a peer benchmark, in child JVMs of the benchmark's JVM: Apache Kafka 4.1's broker
 * ({@link KafkaBrokerProcess}) and Kafka Streams 4.1 ({@link KafkaStreamsProcess}), both run from this jar plus the
 * Kafka jars Maven resolved into the local repository ({@code benchmarks/target/kafka.classpath}, written by the
 * build; {@code -Dweir.bench.kafka.classpath=<file>} names another). Nothing needs installing, and no Kafka class
 * loads in the benchmark's JVM: it reaches the broker through Weir's network clients.
 *
 * <p>Children are killed when closed, when this JVM exits (a shutdown hook) and when it dies (they halt when their
 * standard input, a pipe from this JVM, ends). Not thread-safe: one benchmark thread drives it.
 */
public final class KafkaPeer implements AutoCloseable {
    private static final Duration STARTUP_DEADLINE = Duration.ofSeconds(120);

    private final Process broker;
    private final Path dir;
    private final String bootstrap;
    private final long startupMillis;

    private KafkaPeer(Process broker, Path dir, String bootstrap, long startupMillis) {
        this.broker = broker;
        this.dir = dir;
        this.bootstrap = bootstrap;
        this.startupMillis = startupMillis;
    }

    /** Starts a fresh broker in a new directory under {@code parent}; throws (with its output) if it does not answer. */
    public static KafkaPeer start(Path parent) throws IOException {
        Path dir = Files.createTempDirectory(parent, "kafka-peer-");
        int port = freePort();
        int controllerPort = freePort();
        String clusterId = clusterId();
        Path log = dir.resolve("broker.out");
        long t0 = System.nanoTime();
        Process process = launch(
                List.of(
                        // kafka-server-start.sh's heap and GC settings, as ../shared/peer/kafka.sh runs the broker
                        "-Xms1g",
                        "-Xmx1g",
                        "-XX:+UseG1GC",
                        "-XX:MaxGCPauseMillis=20",
                        "-XX:InitiatingHeapOccupancyPercent=35",
                        "-XX:+ExplicitGCInvokesConcurrent",
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=warn"),
                KafkaBrokerProcess.class,
                List.of(dir.toString(), Integer.toString(port), Integer.toString(controllerPort), clusterId),
                log,
                classPath());
        String bootstrap = "127.0.0.1:" + port;
        try {
            awaitReady(process, bootstrap, clusterId, log);
        } catch (RuntimeException e) {
            kill(process);
            throw e;
        }
        return new KafkaPeer(process, dir, bootstrap, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0));
    }

    public String bootstrapServers() {
        return bootstrap;
    }

    public long startupMillis() {
        return startupMillis;
    }

    /** A Kafka Streams child JVM with the benchmark JVM's heap, driven line by line ({@link KafkaStreamsProcess}). */
    public StreamsChild startStreams(Path stateDir) throws IOException {
        Process process = launch(
                List.of(
                        "-Xmx" + (Runtime.getRuntime().maxMemory() >> 20) + "m",
                        // Kafka Streams warns of a state.dir under /tmp and of each cleanUp(); errors still show.
                        "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"),
                KafkaStreamsProcess.class,
                List.of(bootstrap, stateDir.toString()),
                null,
                classPath());
        return new StreamsChild(process);
    }

    /** Kills the broker and deletes its data. */
    @Override
    public void close() throws IOException {
        kill(broker);
        deleteRecursively(dir);
    }

    /** A Kafka Streams child: commands go to its standard input, answers come back as lines on its output. */
    public static final class StreamsChild implements AutoCloseable {
        private final Process process;
        private final PrintWriter commands;
        private final BufferedReader answers;

        StreamsChild(Process process) {
            this.process = process;
            this.commands = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
            this.answers = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
        }

        public void send(String command) {
            commands.println(command);
        }

        /**
         * The next line of the child that starts with {@code prefix}, its other lines passed to standard error.
         *
         * @throws IllegalStateException if the child ends first or reports an error
         */
        public String await(String prefix) throws IOException {
            String line;
            while ((line = answers.readLine()) != null) {
                if (line.startsWith(prefix)) {
                    return line;
                }
                if (line.startsWith("ERROR")) {
                    throw new IllegalStateException("Kafka Streams child: " + line);
                }
                System.err.println("  [kafka streams] " + line);
            }
            throw new IllegalStateException("The Kafka Streams child ended while waiting for '" + prefix + "'");
        }

        @Override
        public void close() {
            commands.close();
            kill(process);
        }
    }

    /**
     * A child JVM running {@code main} on {@code classPath}, its output to {@code log} (or, when null, standard
     * output piped to this JVM and standard error inherited), killed when this JVM exits.
     */
    static Process launch(List<String> jvmArgs, Class<?> main, List<String> args, Path log, String classPath)
            throws IOException {
        return launch(jvmArgs, main.getName(), args, log, classPath);
    }

    static Process launch(List<String> jvmArgs, String main, List<String> args, Path log, String classPath)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of("--add-opens", "java.base/java.nio=ALL-UNNAMED"));
        command.addAll(jvmArgs);
        command.addAll(List.of("-cp", classPath, main));
        command.addAll(args);
        ProcessBuilder builder = new ProcessBuilder(command);
        if (log != null) {
            builder.redirectErrorStream(true).redirectOutput(log.toFile());
        } else {
            builder.redirectError(ProcessBuilder.Redirect.INHERIT);
        }
        // Standard input stays a pipe from this JVM: the child halts when it ends (haltWhenStdinEnds).
        Process process = builder.start();
        Runtime.getRuntime().addShutdownHook(new Thread(process::destroyForcibly, "kafka-peer-killer"));
        return process;
    }

    /** This jar (or classes directory): Weir and everything it runs on, no Kafka jar but kafka-clients. */
    static Path self() {
        try {
            return Path.of(KafkaPeer.class
                    .getProtectionDomain()
                    .getCodeSource()
                    .getLocation()
                    .toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("Cannot locate the benchmarks jar", e);
        }
    }

    /** This jar (or classes directory) followed by the Kafka jars listed in the class-path file. */
    static String classPath() throws IOException {
        Path self = self();
        Path listed = Path.of(System.getProperty(
                "weir.bench.kafka.classpath",
                self.getParent().resolve("kafka.classpath").toString()));
        if (!Files.exists(listed)) {
            throw new IllegalStateException("No Kafka class path at " + listed + ": build the benchmarks module "
                    + "(mvn package -pl benchmarks -am writes it) or name one with -Dweir.bench.kafka.classpath");
        }
        return self + File.pathSeparator + Files.readString(listed).trim();
    }

    static void awaitReady(Process process, String bootstrap, String clusterId, Path log) throws IOException {
        long deadline = System.nanoTime() + STARTUP_DEADLINE.toNanos();
        // The admin client warns of each refused connection until the broker listens: expected here.
        System.setProperty("org.slf4j.simpleLogger.log.org.apache.kafka.clients.NetworkClient", "error");
        try (Admin admin = Admin.create(
                Map.of("bootstrap.servers", bootstrap, "request.timeout.ms", 1000, "default.api.timeout.ms", 2000))) {
            while (true) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("The broker exited with " + process.exitValue()
                            + " while starting; its output:\n" + Files.readString(log));
                }
                try {
                    ClusterDescription cluster = admin.describeCluster().get(3, TimeUnit.SECONDS);
                    if (!cluster.nodes().isEmpty()) {
                        if (!cluster.clusterId().equals(clusterId)) {
                            throw new IllegalStateException("Another broker (cluster " + cluster.clusterId() + ", not "
                                    + clusterId + ") answered at " + bootstrap);
                        }
                        return;
                    }
                } catch (IllegalStateException e) {
                    throw e;
                } catch (Exception notYet) {
                    // not listening yet: ask again until the deadline
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("The broker did not start within " + STARTUP_DEADLINE
                            + "; its output:\n" + Files.readString(log));
                }
            }
        }
    }

    /**
     * Kafka's cluster id form: a random UUID's 16 bytes in URL-safe base64 without padding, never starting with
     * {@code -} (as Kafka's {@code Uuid.randomUuid}): the storage tool's argument parser would take such an id for
     * an option and refuse to format (one start in 64 failed that way).
     */
    static String clusterId() {
        while (true) {
            UUID uuid = UUID.randomUUID();
            byte[] bytes = java.nio.ByteBuffer.allocate(16)
                    .putLong(uuid.getMostSignificantBits())
                    .putLong(uuid.getLeastSignificantBits())
                    .array();
            String id = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
            if (!id.startsWith("-")) {
                return id;
            }
        }
    }

    static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    static void kill(Process process) {
        process.destroyForcibly();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (var paths = Files.walk(dir)) {
            for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (UncheckedIOException e) {
            throw e.getCause();
        }
    }

    /** For the child mains: halts the JVM when standard input ends, which happens when the benchmark's JVM exits. */
    static void haltWhenStdinEnds() {
        Thread watch = new Thread(
                () -> {
                    try {
                        while (System.in.read() >= 0) {
                            // the parent never writes to the broker; only the end matters
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
