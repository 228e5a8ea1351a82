package io.weir.clients.producer;

import io.weir.common.errors.InvalidConfigurationException;

/**
 * How much acknowledgement a producer waits for ({@code acks}). With one in-process broker, {@code 1} and
 * {@code all} both mean "appended to the log (and synced where the flush policy asks for it)"; {@code 0}
 * means "handed to the broker", and the offset in {@link RecordMetadata} is then -1.
 */
public enum Acks {
    NONE((short) 0, "0"),
    LEADER((short) 1, "1"),
    ALL((short) -1, "all");

    private final short code;
    private final String configName;

    Acks(short code, String configName) {
        this.code = code;
        this.configName = configName;
    }

    /** The value sent in a produce request: 0, 1 or -1. */
    public short code() {
        return code;
    }

    public String configName() {
        return configName;
    }

    /** Accepts Kafka's spellings: {@code 0}, {@code 1}, {@code all}, {@code -1}. */
    public static Acks forConfig(String value) {
        String v = value.trim();
        if (v.equals("0")) return NONE;
        if (v.equals("1")) return LEADER;
        if (v.equalsIgnoreCase("all") || v.equals("-1")) return ALL;
        throw new InvalidConfigurationException(
                "Invalid value '" + value + "' for configuration acks: must be one of 0, 1, all, -1");
    }
}
