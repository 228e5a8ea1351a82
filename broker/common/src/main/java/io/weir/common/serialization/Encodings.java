package io.weir.common.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Reads the string serdes' charset settings, the specific key first, then the shared one. */
final class Encodings {
    private Encodings() {}

    static Charset charset(Map<String, ?> configs, String specificKey, String sharedKey) {
        Object name = configs.get(specificKey);
        String key = specificKey;
        if (name == null) {
            name = configs.get(sharedKey);
            key = sharedKey;
        }
        if (name == null) {
            return StandardCharsets.UTF_8;
        }
        if (name instanceof Charset c) {
            return c;
        }
        try {
            return Charset.forName(name.toString());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(key + " = '" + name + "' is not a charset this JVM supports", e);
        }
    }
}
