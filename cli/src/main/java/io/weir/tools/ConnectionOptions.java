package io.weir.tools;

import java.nio.file.Path;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/**
 * How a verb reaches the log: a running broker ({@code --bootstrap-server}, as Kafka's tools take it), or a data
 * directory that the command opens in its own process ({@code --data-dir}) when no broker runs on it. Exactly one
 * of the two; client properties come from {@code --command-config} as in Kafka's tools.
 */
final class ConnectionOptions {
    @ArgGroup(multiplicity = "1")
    Target target;

    @Option(
            names = "--command-config",
            paramLabel = "FILE",
            description = "A properties file of client settings (timeouts, client.id, ...) passed to the clients.")
    Path commandConfig;

    @Option(
            names = "--timeout",
            paramLabel = "MS",
            defaultValue = "30000",
            description = "How long to wait for the broker's answers, in milliseconds (default: ${DEFAULT-VALUE}).")
    long timeoutMs;

    static final class Target {
        @Option(
                names = "--bootstrap-server",
                paramLabel = "HOST:PORT[,HOST:PORT]",
                required = true,
                description = "The broker (Weir's or Apache Kafka's) to connect to.")
        String bootstrapServer;

        @Option(
                names = "--data-dir",
                paramLabel = "DIR",
                required = true,
                description = "Open this broker data directory in this process; no broker may be running on it.")
        Path dataDir;
    }
}
