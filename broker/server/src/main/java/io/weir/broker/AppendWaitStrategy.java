package io.weir.broker;

import io.weir.common.errors.InvalidConfigurationException;

/**
 * {@code weir.append.wait.strategy}: how an append thread waits for the next request on its ring. The trade is
 * latency against idle CPU, as in the Disruptor's wait strategies behind these names.
 */
public enum AppendWaitStrategy {
    /** Park on a lock and condition: no CPU when idle, a wake-up's latency per quiet spell (the default). */
    BLOCKING("blocking"),
    /** Spin, then yield, then park briefly: low CPU, sub-millisecond wake-ups. */
    SLEEPING("sleeping"),
    /** Spin, then yield: one core busy per ring, low latency. */
    YIELDING("yielding"),
    /** Spin without end: one core per ring at 100 %, the lowest latency. */
    BUSY_SPIN("busy-spin");

    private final String configValue;

    AppendWaitStrategy(String configValue) {
        this.configValue = configValue;
    }

    /** @throws InvalidConfigurationException if {@code value} names no strategy */
    public static AppendWaitStrategy forConfigValue(String value) {
        for (AppendWaitStrategy s : values()) {
            if (s.configValue.equalsIgnoreCase(value)) {
                return s;
            }
        }
        throw new InvalidConfigurationException(BrokerConfig.APPEND_WAIT_STRATEGY + "=" + value
                + " is not one of blocking, sleeping, yielding, busy-spin");
    }

    @Override
    public String toString() {
        return configValue;
    }
}
