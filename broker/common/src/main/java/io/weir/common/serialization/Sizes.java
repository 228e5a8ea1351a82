package io.weir.common.serialization;

import io.weir.common.errors.SerializationException;

/** The length check shared by the fixed-width deserializers. */
final class Sizes {
    private Sizes() {}

    static void check(String deserializer, String topic, byte[] data, int expected) {
        if (data.length != expected) {
            throw new SerializationException(
                    deserializer + " for topic '" + topic + "' expected " + expected + " bytes but got " + data.length);
        }
    }
}
