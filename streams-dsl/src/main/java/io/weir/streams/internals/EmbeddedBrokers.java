package io.weir.streams.internals;

import io.weir.common.transport.EmbeddedBrokerHandle;
import io.weir.common.transport.Transports;
import io.weir.streams.errors.StreamsException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The embedded brokers streams applications opened in this process, shared by name: the first application that
 * names a broker (or names none, which means {@value #DEFAULT_NAME}) opens it on its {@code <state.dir>/broker},
 * later ones join it, and the last to leave closes it. A broker the user opened with {@code EmbeddedBroker} is
 * reached through {@code bootstrap.servers} like any other and never closed here.
 */
public final class EmbeddedBrokers {
    /** The name of the broker an application opens when it is given no {@code bootstrap.servers}. */
    public static final String DEFAULT_NAME = "weir";

    private record Shared(EmbeddedBrokerHandle handle, Path dataDir, int leases) {}

    private static final Map<String, Shared> OPEN = new HashMap<>();

    private EmbeddedBrokers() {}

    /** A share of one embedded broker; closing the last share closes the broker. */
    public static final class Lease implements AutoCloseable {
        private final String name;
        private boolean closed;

        private Lease(String name) {
            this.name = name;
        }

        /** The {@code bootstrap.servers} value that reaches the broker. */
        public String bootstrapServers() {
            synchronized (OPEN) {
                return OPEN.get(name).handle().bootstrapServers();
            }
        }

        @Override
        public void close() {
            synchronized (OPEN) {
                if (closed) {
                    return;
                }
                closed = true;
                Shared shared = OPEN.get(name);
                if (shared.leases() == 1) {
                    OPEN.remove(name);
                    shared.handle().close();
                } else {
                    OPEN.put(name, new Shared(shared.handle(), shared.dataDir(), shared.leases() - 1));
                }
            }
        }
    }

    /**
     * Joins the broker {@code name} if this registry opened it, or opens it on {@code dataDir} with the given broker
     * settings.
     *
     * @throws StreamsException if the broker is open on another directory, or cannot be opened
     */
    public static Lease acquire(String name, Path directory, Map<String, Object> brokerConfig) {
        Path dataDir = directory.toAbsolutePath().normalize();
        synchronized (OPEN) {
            Shared shared = OPEN.get(name);
            if (shared != null) {
                if (!shared.dataDir().equals(dataDir)) {
                    throw new StreamsException("The embedded broker '" + name + "' is already open in this process on "
                            + shared.dataDir() + ", not on " + dataDir + ": give this application the same state.dir, "
                            + "or bootstrap.servers=embedded:<another name> to open a broker of its own");
                }
                OPEN.put(name, new Shared(shared.handle(), shared.dataDir(), shared.leases() + 1));
                return new Lease(name);
            }
            Map<String, Object> config = new HashMap<>(brokerConfig);
            config.put("log.dirs", dataDir.toString());
            config.put(Transports.EMBEDDED_NAME_CONFIG, name);
            EmbeddedBrokerHandle handle;
            try {
                handle = Transports.openEmbedded(config);
            } catch (RuntimeException e) {
                throw new StreamsException(
                        "Could not open the embedded broker '" + name + "' on " + dataDir + ": " + e.getMessage(), e);
            }
            OPEN.put(name, new Shared(handle, dataDir, 1));
            return new Lease(name);
        }
    }

    /**
     * Joins the broker {@code name} if an application of this process opened it, wherever its data lives.
     *
     * @return the lease, or null if no application opened a broker of that name
     */
    public static Lease join(String name) {
        synchronized (OPEN) {
            Shared shared = OPEN.get(name);
            if (shared == null) {
                return null;
            }
            OPEN.put(name, new Shared(shared.handle(), shared.dataDir(), shared.leases() + 1));
            return new Lease(name);
        }
    }

    /** Whether a broker of that name is reachable in this process, opened here or by the user. */
    public static boolean reachable(String name) {
        try {
            Transports.connect(java.util.List.of(Transports.EMBEDDED_PREFIX + name));
            return true;
        } catch (RuntimeException e) {
            return false;
        }
    }
}
