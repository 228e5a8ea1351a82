package io.weir.common;

import java.util.Locale;

/** What a fetch may return: everything up to the high watermark, or only committed transactional data. */
public enum IsolationLevel {
    READ_UNCOMMITTED,
    READ_COMMITTED;

    /** The config spelling ({@code read_committed}). */
    public String configName() {
        return name().toLowerCase(Locale.ROOT);
    }

    public static IsolationLevel forName(String name) {
        for (IsolationLevel level : values()) {
            if (level.configName().equalsIgnoreCase(name)) {
                return level;
            }
        }
        throw new IllegalArgumentException(
                "Unknown isolation.level '" + name + "': use read_uncommitted or read_committed");
    }
}
