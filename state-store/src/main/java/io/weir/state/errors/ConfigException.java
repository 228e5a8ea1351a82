package io.weir.state.errors;

/** A configuration value that was rejected; names the key and the value. */
public final class ConfigException extends StateStoreException {
    public ConfigException(String key, Object value, String problem) {
        super("invalid value '" + value + "' for " + key + ": " + problem);
    }
}
