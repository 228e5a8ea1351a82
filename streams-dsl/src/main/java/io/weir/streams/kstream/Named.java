package io.weir.streams.kstream;

import java.util.Objects;

/**
 * The name of the processor an operator adds, instead of a generated one ({@code KSTREAM-FILTER-0000000001}).
 * Names of stateful operators become store and topic names, so naming them keeps state across topology changes.
 */
public class Named {
    protected final String name;

    protected Named(String name) {
        this.name = name;
    }

    /**
     * @throws IllegalArgumentException if {@code name} is empty, longer than 249 characters, or has a character
     *         other than a-z, A-Z, 0-9, '.', '_' and '-' (it may become part of a topic name)
     */
    public static Named as(String name) {
        validate(name);
        return new Named(name);
    }

    static void validate(String name) {
        Objects.requireNonNull(name, "name");
        if (name.isEmpty() || name.length() > 249 || !name.matches("[a-zA-Z0-9._-]+")) {
            throw new IllegalArgumentException(
                    "Name '" + name + "' is illegal: it must be 1 to 249 of a-z, A-Z, 0-9, '.', '_', '-'");
        }
    }

    /** The name, or null when none was given. */
    public String name() {
        return name;
    }
}
