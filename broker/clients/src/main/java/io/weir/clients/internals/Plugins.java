package io.weir.clients.internals;

import io.weir.common.errors.InvalidConfigurationException;

/** Instantiates plug-ins named in configuration (serializers, deserializers, partitioners). */
public final class Plugins {
    private Plugins() {}

    /**
     * A new instance of {@code type}, configured under {@code key}.
     *
     * @param howToSupply what the user can do instead when the key is missing, for the error message
     * @throws InvalidConfigurationException the key is missing, or the class has no public no-argument constructor
     */
    @SuppressWarnings("unchecked")
    public static <T> T instantiate(Class<?> type, String key, String howToSupply) {
        if (type == null) {
            throw new InvalidConfigurationException(
                    "Missing " + key + ": " + howToSupply + " or set " + key + " to a class name");
        }
        try {
            return (T) type.getDeclaredConstructor().newInstance();
        } catch (ReflectiveOperationException e) {
            throw new InvalidConfigurationException(
                    "Cannot instantiate " + type.getName() + " for " + key
                            + ": it needs a public no-argument constructor (" + e + ")",
                    e);
        }
    }
}
