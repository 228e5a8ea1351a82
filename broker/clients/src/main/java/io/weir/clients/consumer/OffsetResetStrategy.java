package io.weir.clients.consumer;

import java.util.Locale;

/** What a consumer does when a partition has no position, or its position is outside the log ({@code auto.offset.reset}). */
public enum OffsetResetStrategy {
    EARLIEST,
    LATEST,
    NONE;

    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static OffsetResetStrategy forConfig(String value) {
        return valueOf(value.trim().toUpperCase(Locale.ROOT));
    }
}
