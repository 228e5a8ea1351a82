package io.weir.broker;

import io.weir.common.errors.WeirException;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * A standalone broker process: {@code java io.weir.broker.WeirBrokerMain [server.properties] [--key value |
 * --key=value]...}, with Kafka's broker keys ({@code log.dirs}, {@code listeners}, {@code num.partitions}, ...)
 * from a properties file, overridden by flags. {@code listeners} defaults to {@code PLAINTEXT://127.0.0.1:9092}.
 * Prints {@code Weir broker listening on host:port (data in dir)} once it serves, then runs until SIGTERM or
 * SIGINT, when a shutdown hook closes the broker cleanly (the next start finds the clean-shutdown marker). The
 * command line's {@code weir broker start} calls {@link #run}.
 */
public final class WeirBrokerMain {
    static final String DEFAULT_LISTENER = "PLAINTEXT://127.0.0.1:9092";

    private WeirBrokerMain() {}

    public static void main(String[] args) {
        try {
            EmbeddedBroker broker = start(args, System.out);
            CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime()
                    .addShutdownHook(new Thread(
                            () -> {
                                broker.close();
                                stopped.countDown();
                            },
                            "weir-broker-shutdown"));
            stopped.await();
        } catch (IllegalArgumentException | WeirException e) {
            System.err.println("weir broker: " + e.getMessage());
            System.exit(2);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Opens the broker the arguments describe and prints where it listens. The caller closes it.
     *
     * @throws IllegalArgumentException an unreadable properties file or a malformed flag
     * @throws WeirException            a bad configuration value, or a listener that cannot bind
     */
    public static EmbeddedBroker start(String[] args, PrintStream out) {
        Properties props = parse(args);
        if (props.getProperty(BrokerConfig.LISTENERS).isBlank()) {
            throw new IllegalArgumentException(BrokerConfig.LISTENERS
                    + " is empty: a standalone broker needs a listener, e.g. " + DEFAULT_LISTENER);
        }
        EmbeddedBroker broker = EmbeddedBroker.open(props);
        out.println("Weir broker listening on " + broker.networkBootstrapServers() + " (bound to "
                + broker.listenerAddress() + ", data in " + broker.dataDir()
                + (broker.openedAfterCleanShutdown() ? ", clean start" : ", recovered or new") + ")");
        out.flush();
        return broker;
    }

    static Properties parse(String[] args) {
        Properties props = new Properties();
        Properties flags = new Properties();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (arg.startsWith("--")) {
                String key = arg.substring(2);
                String value;
                int eq = key.indexOf('=');
                if (eq >= 0) {
                    value = key.substring(eq + 1);
                    key = key.substring(0, eq);
                } else if (i + 1 < args.length) {
                    value = args[++i];
                } else {
                    throw new IllegalArgumentException("Flag " + arg + " has no value");
                }
                flags.setProperty(key, value);
            } else {
                load(Path.of(arg), props);
            }
        }
        props.putAll(flags);
        props.putIfAbsent(BrokerConfig.LISTENERS, DEFAULT_LISTENER);
        return props;
    }

    private static void load(Path file, Properties into) {
        try (InputStream in = Files.newInputStream(file)) {
            into.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("Cannot read properties file " + file + ": " + e, e);
        }
    }
}
