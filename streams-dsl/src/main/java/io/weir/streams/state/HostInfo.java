package io.weir.streams.state;

import io.weir.common.errors.InvalidConfigurationException;

/**
 * Where an instance answers interactive queries, from its {@code application.server}, as Kafka Streams'
 * {@code HostInfo}.
 */
public record HostInfo(String host, int port) {
    private static final HostInfo UNAVAILABLE = new HostInfo("unavailable", -1);

    /** The host of an instance that set no {@code application.server}, or of a partition no instance holds. */
    public static HostInfo unavailable() {
        return UNAVAILABLE;
    }

    /**
     * Parses {@code host:port}; an empty endpoint is {@link #unavailable()}.
     *
     * @throws InvalidConfigurationException if it is not {@code host:port} with a port of 0..65535
     */
    public static HostInfo buildFromEndpoint(String endPoint) {
        if (endPoint == null || endPoint.isBlank()) {
            return UNAVAILABLE;
        }
        int colon = endPoint.lastIndexOf(':');
        if (colon <= 0 || colon == endPoint.length() - 1) {
            throw new InvalidConfigurationException(
                    "Invalid value " + endPoint + " for configuration application.server: must be host:port");
        }
        int port;
        try {
            port = Integer.parseInt(endPoint.substring(colon + 1));
        } catch (NumberFormatException e) {
            port = -1;
        }
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationException("Invalid value " + endPoint
                    + " for configuration application.server: the port must be a number in 0..65535");
        }
        return new HostInfo(endPoint.substring(0, colon), port);
    }

    @Override
    public String toString() {
        return host + ":" + port;
    }
}
