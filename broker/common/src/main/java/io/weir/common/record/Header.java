package io.weir.common.record;

import java.util.Arrays;
import java.util.Objects;

/**
 * One record header: a non-null key, written as UTF-8, and a value that may be null (written with length -1).
 * The value array is not copied; treat it as immutable once handed over.
 */
public record Header(String key, byte[] value) {

    public Header {
        Objects.requireNonNull(key, "header key");
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Header h && key.equals(h.key) && Arrays.equals(value, h.value);
    }

    @Override
    public int hashCode() {
        return 31 * key.hashCode() + Arrays.hashCode(value);
    }

    @Override
    public String toString() {
        return "Header(" + key + ", " + (value == null ? "null" : value.length + " bytes") + ")";
    }
}
