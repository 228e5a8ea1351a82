package io.weir.broker.network;

import io.weir.common.errors.InvalidConfigurationException;
import java.util.ArrayList;
import java.util.List;

/**
 * The broker's Kafka-protocol listener, as Kafka's broker keys configure it: {@code listeners} (where to bind,
 * e.g. {@code PLAINTEXT://127.0.0.1:9092}; port 0 picks a free port), {@code advertised.listeners} (what
 * Metadata and FindCoordinator tell clients; defaults to the bound address) and {@code socket.request.max.bytes}
 * (the largest request frame a connection may send; a larger one closes the connection), {@code
 * connections.max.idle.ms} (a connection with nothing in flight for this long is closed), {@code
 * fetch.max.bytes} (the most record bytes one Fetch answer carries, whatever the client asks for), {@code
 * max.incremental.fetch.session.cache.slots} (the fetch sessions kept, KIP-227), and the broker-wide bound on
 * requests read but not yet answered: {@code queued.max.requests} and {@code queued.max.request.bytes} (-1 or
 * 0: no byte bound, as Kafka); while either is reached the listener reads from no connection. Immutable.
 *
 * <p>Only the {@code PLAINTEXT} security protocol is served, on one listener.
 *
 * @param listener   where to bind; null when the broker has no network listener (in-process only)
 * @param advertised what clients are told; null to advertise the bound address
 */
public record ListenerConfig(
        Endpoint listener,
        Endpoint advertised,
        int socketRequestMaxBytes,
        long connectionsMaxIdleMs,
        int fetchMaxBytes,
        int fetchSessionCacheSlots,
        int queuedMaxRequests,
        long queuedMaxRequestBytes) {
    public static final String LISTENERS = "listeners";
    public static final String ADVERTISED_LISTENERS = "advertised.listeners";
    public static final String SOCKET_REQUEST_MAX_BYTES = "socket.request.max.bytes";
    /** Kafka's default {@code socket.request.max.bytes}: 100 MiB. */
    public static final int DEFAULT_SOCKET_REQUEST_MAX_BYTES = 104_857_600;

    public static final String CONNECTIONS_MAX_IDLE_MS = "connections.max.idle.ms";
    /** Kafka's default {@code connections.max.idle.ms}: 10 minutes. */
    public static final long DEFAULT_CONNECTIONS_MAX_IDLE_MS = 600_000L;

    public static final String FETCH_MAX_BYTES = "fetch.max.bytes";
    /** Kafka's broker default {@code fetch.max.bytes}: 55 MiB. */
    public static final int DEFAULT_FETCH_MAX_BYTES = 57_671_680;

    public static final String MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = "max.incremental.fetch.session.cache.slots";
    /** Kafka's default {@code max.incremental.fetch.session.cache.slots}. */
    public static final int DEFAULT_MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS = 1000;

    public static final String QUEUED_MAX_REQUESTS = "queued.max.requests";
    /** Kafka's default {@code queued.max.requests}. */
    public static final int DEFAULT_QUEUED_MAX_REQUESTS = 500;

    public static final String QUEUED_MAX_REQUEST_BYTES = "queued.max.request.bytes";
    /** Kafka's default {@code queued.max.request.bytes}: no bound on bytes (the request count still bounds). */
    public static final long DEFAULT_QUEUED_MAX_REQUEST_BYTES = -1L;

    /** No network listener. */
    public static final ListenerConfig NONE = new ListenerConfig(
            null,
            null,
            DEFAULT_SOCKET_REQUEST_MAX_BYTES,
            DEFAULT_CONNECTIONS_MAX_IDLE_MS,
            DEFAULT_FETCH_MAX_BYTES,
            DEFAULT_MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS,
            DEFAULT_QUEUED_MAX_REQUESTS,
            DEFAULT_QUEUED_MAX_REQUEST_BYTES);

    public ListenerConfig {
        if (socketRequestMaxBytes < 1) {
            throw new InvalidConfigurationException(
                    SOCKET_REQUEST_MAX_BYTES + "=" + socketRequestMaxBytes + " must be at least 1");
        }
        if (connectionsMaxIdleMs < 1) {
            throw new InvalidConfigurationException(
                    CONNECTIONS_MAX_IDLE_MS + "=" + connectionsMaxIdleMs + " must be at least 1");
        }
        if (fetchMaxBytes < 0) {
            throw new InvalidConfigurationException(FETCH_MAX_BYTES + "=" + fetchMaxBytes + " must be at least 0");
        }
        if (fetchSessionCacheSlots < 0) {
            throw new InvalidConfigurationException(
                    MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS + "=" + fetchSessionCacheSlots + " must be at least 0");
        }
        if (queuedMaxRequests < 1) {
            throw new InvalidConfigurationException(
                    QUEUED_MAX_REQUESTS + "=" + queuedMaxRequests + " must be at least 1");
        }
        if (queuedMaxRequestBytes < -1) {
            throw new InvalidConfigurationException(QUEUED_MAX_REQUEST_BYTES + "=" + queuedMaxRequestBytes
                    + " must be at least -1 (-1 or 0: no bound, as Kafka)");
        }
        if (advertised != null && listener == null) {
            throw new InvalidConfigurationException(
                    ADVERTISED_LISTENERS + "=" + advertised + " is set but " + LISTENERS + " is not");
        }
    }

    /** Whether the broker serves the Kafka protocol on a socket. */
    public boolean enabled() {
        return listener != null;
    }

    /**
     * Parses Kafka's {@code listeners} / {@code advertised.listeners} values, each a list of
     * {@code NAME://host:port}. An empty list means none.
     *
     * @throws InvalidConfigurationException a malformed endpoint, a protocol other than PLAINTEXT, or more than
     *                                       one endpoint
     */
    public static ListenerConfig parse(List<String> listeners, List<String> advertised, int socketRequestMaxBytes) {
        return new ListenerConfig(
                single(LISTENERS, listeners),
                single(ADVERTISED_LISTENERS, advertised),
                socketRequestMaxBytes,
                DEFAULT_CONNECTIONS_MAX_IDLE_MS,
                DEFAULT_FETCH_MAX_BYTES,
                DEFAULT_MAX_INCREMENTAL_FETCH_SESSION_CACHE_SLOTS,
                DEFAULT_QUEUED_MAX_REQUESTS,
                DEFAULT_QUEUED_MAX_REQUEST_BYTES);
    }

    /** A copy with {@code max.incremental.fetch.session.cache.slots}. */
    public ListenerConfig withFetchSessionCacheSlots(int slots) {
        return new ListenerConfig(
                listener,
                advertised,
                socketRequestMaxBytes,
                connectionsMaxIdleMs,
                fetchMaxBytes,
                slots,
                queuedMaxRequests,
                queuedMaxRequestBytes);
    }

    /** A copy with {@code queued.max.requests} and {@code queued.max.request.bytes}. */
    public ListenerConfig withQueuedMax(int requests, long requestBytes) {
        return new ListenerConfig(
                listener,
                advertised,
                socketRequestMaxBytes,
                connectionsMaxIdleMs,
                fetchMaxBytes,
                fetchSessionCacheSlots,
                requests,
                requestBytes);
    }

    /** Parses the endpoint lists; the rest as given. */
    public static ListenerConfig parse(
            List<String> listeners,
            List<String> advertised,
            int socketRequestMaxBytes,
            long connectionsMaxIdleMs,
            int fetchMaxBytes,
            int fetchSessionCacheSlots,
            int queuedMaxRequests,
            long queuedMaxRequestBytes) {
        return new ListenerConfig(
                single(LISTENERS, listeners),
                single(ADVERTISED_LISTENERS, advertised),
                socketRequestMaxBytes,
                connectionsMaxIdleMs,
                fetchMaxBytes,
                fetchSessionCacheSlots,
                queuedMaxRequests,
                queuedMaxRequestBytes);
    }

    private static Endpoint single(String key, List<String> values) {
        List<Endpoint> endpoints = new ArrayList<>();
        for (String value : values) {
            if (!value.isBlank()) {
                endpoints.add(Endpoint.parse(key, value.trim()));
            }
        }
        if (endpoints.size() > 1) {
            throw new InvalidConfigurationException(
                    key + "=" + values + " names " + endpoints.size() + " listeners; Weir serves one (PLAINTEXT)");
        }
        return endpoints.isEmpty() ? null : endpoints.get(0);
    }

    /**
     * One listener endpoint, {@code NAME://host:port}. An empty host binds every interface.
     *
     * @param name the listener name, which is also its security protocol: only {@code PLAINTEXT}
     */
    public record Endpoint(String name, String host, int port) {
        public Endpoint {
            if (port < 0 || port > 65535) {
                throw new InvalidConfigurationException("Listener port " + port + " is not in 0..65535");
            }
        }

        static Endpoint parse(String key, String value) {
            int scheme = value.indexOf("://");
            int colon = value.lastIndexOf(':');
            if (scheme <= 0 || colon <= scheme + 2) {
                throw new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + key
                        + ": expected NAME://host:port, e.g. PLAINTEXT://127.0.0.1:9092");
            }
            String name = value.substring(0, scheme);
            if (!name.equals("PLAINTEXT")) {
                throw new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + key
                        + ": listener " + name + " is not served; Weir serves PLAINTEXT only");
            }
            String host = value.substring(scheme + 3, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(value.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new InvalidConfigurationException("Invalid value '" + value + "' for configuration " + key
                        + ": port '" + value.substring(colon + 1) + "' is not a number");
            }
            return new Endpoint(name, host, port);
        }

        @Override
        public String toString() {
            return name + "://" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
        }
    }
}
