package io.weir.properties;

import java.util.EnumMap;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Counts the faults the properties injected, by kind, so each run reports what it exercised (a property that never
 * fired a fault proves nothing about it). Thread-safe; counts for the whole JVM, printed per property container.
 */
final class Faults {
    enum Kind {
        DUPLICATED_PRODUCE,
        REPLAYED_PRODUCE,
        LOST_PRODUCE_ANSWER,
        LOST_TXN_ANSWER,
        BROKER_CLEAN_RESTART,
        BROKER_CRASH_RESTART,
        TRANSACTION_TIMEOUT,
        ZOMBIE_PRODUCER,
        APP_CRASH_BEFORE_BROKER_COMMIT,
        APP_CRASH_AFTER_BROKER_COMMIT,
        APP_CRASH_AFTER_STORE_COMMIT,
        APP_ZOMBIE,
        APP_CLEAN_RESTART,
        SIGKILL
    }

    private static final Map<Kind, Long> COUNTS = new EnumMap<>(Kind.class);

    private Faults() {}

    static synchronized void count(Kind kind) {
        COUNTS.merge(kind, 1L, Long::sum);
    }

    static synchronized Map<Kind, Long> snapshot() {
        Map<Kind, Long> copy = new EnumMap<>(Kind.class);
        copy.putAll(COUNTS);
        return copy;
    }

    /** The counts since {@code before}, one line. */
    static synchronized String since(Map<Kind, Long> before) {
        return COUNTS.entrySet().stream()
                .filter(e -> e.getValue() - before.getOrDefault(e.getKey(), 0L) > 0)
                .map(e -> e.getKey().name().toLowerCase() + "=" + (e.getValue() - before.getOrDefault(e.getKey(), 0L)))
                .collect(Collectors.joining(", "));
    }
}
