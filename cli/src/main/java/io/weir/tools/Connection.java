package io.weir.tools;

import io.weir.broker.BrokerConfig;
import io.weir.broker.EmbeddedBroker;
import io.weir.clients.admin.Admin;
import io.weir.clients.admin.AdminConfig;
import io.weir.common.errors.KafkaStorageException;
import io.weir.common.errors.TimeoutException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/**
 * One command's way to the log: the client settings that reach it and, with {@code --data-dir}, the broker the
 * command opened on that directory (closed, cleanly, with the connection). Not thread-safe: a command uses it
 * from its own thread.
 */
final class Connection implements AutoCloseable {
    private final ConnectionOptions options;
    private final Map<String, Object> clientConfig;
    private final EmbeddedBroker broker;
    private Admin admin;

    private Connection(ConnectionOptions options, Map<String, Object> clientConfig, EmbeddedBroker broker) {
        this.options = options;
        this.clientConfig = clientConfig;
        this.broker = broker;
    }

    /**
     * @throws CommandFailedException if the command-config file cannot be read, the data directory does not exist,
     *         or a broker already has it open
     */
    static Connection open(ConnectionOptions options) {
        Map<String, Object> config = new HashMap<>();
        if (options.commandConfig != null) {
            Properties file = new Properties();
            try (InputStream in = Files.newInputStream(options.commandConfig)) {
                file.load(in);
            } catch (IOException e) {
                throw new CommandFailedException("Cannot read --command-config " + options.commandConfig + ": " + e);
            }
            file.stringPropertyNames().forEach(key -> config.put(key, file.getProperty(key)));
        }
        config.putIfAbsent(AdminConfig.REQUEST_TIMEOUT_MS, Long.toString(options.timeoutMs));
        config.putIfAbsent("default.api.timeout.ms", Long.toString(options.timeoutMs));
        if (options.target.bootstrapServer != null) {
            config.put(AdminConfig.BOOTSTRAP_SERVERS, options.target.bootstrapServer);
            return new Connection(options, config, null);
        }
        if (!Files.isDirectory(options.target.dataDir)) {
            throw new CommandFailedException("No data directory at " + options.target.dataDir
                    + " (a broker creates one: weir broker start --data-dir " + options.target.dataDir + ")");
        }
        EmbeddedBroker broker;
        try {
            broker = EmbeddedBroker.open(Map.of(
                    BrokerConfig.LOG_DIRS,
                    options.target.dataDir.toString(),
                    BrokerConfig.EMBEDDED_NAME,
                    "weir-cli-" + UUID.randomUUID()));
        } catch (KafkaStorageException e) {
            throw new CommandFailedException(e.getMessage()
                    + "; if a broker is running on it, reach that broker with --bootstrap-server instead");
        }
        config.put(AdminConfig.BOOTSTRAP_SERVERS, broker.bootstrapServers());
        return new Connection(options, config, broker);
    }

    /** The settings every client of this command starts from, {@code bootstrap.servers} included; a copy. */
    Map<String, Object> clientConfig() {
        return new HashMap<>(clientConfig);
    }

    String bootstrapServers() {
        return (String) clientConfig.get(AdminConfig.BOOTSTRAP_SERVERS);
    }

    Admin admin() {
        if (admin == null) {
            admin = Admin.create(clientConfig());
        }
        return admin;
    }

    long timeoutMs() {
        return options.timeoutMs;
    }

    /**
     * Waits for an answer no longer than {@code --timeout}.
     *
     * @throws CommandFailedException if none came in time, naming the broker that did not answer
     * @throws ExecutionException if the request failed
     */
    <T> T await(CompletableFuture<T> future) throws ExecutionException, InterruptedException {
        try {
            return future.get(options.timeoutMs, TimeUnit.MILLISECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            future.cancel(true);
            throw new CommandFailedException("No answer from " + bootstrapServers() + " within " + options.timeoutMs
                    + " ms (is the broker running? --timeout sets the wait)");
        } catch (ExecutionException e) {
            if (e.getCause() instanceof TimeoutException timeout) {
                throw new CommandFailedException("No answer from " + bootstrapServers() + " within the timeout: "
                        + timeout.getMessage() + " (is the broker running?)");
            }
            throw e;
        }
    }

    @Override
    public void close() {
        try {
            if (admin != null) {
                admin.close();
            }
        } finally {
            if (broker != null) {
                broker.close();
            }
        }
    }
}
