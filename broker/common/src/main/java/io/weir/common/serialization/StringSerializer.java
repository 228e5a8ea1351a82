package io.weir.common.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Strings as UTF-8 by default. Like Kafka, the charset can be set with {@code key.serializer.encoding} /
 * {@code value.serializer.encoding} or, for both, {@code serializer.encoding}. Immutable after
 * {@link #configure}; thread-safe.
 */
public final class StringSerializer implements Serializer<String> {
    private volatile Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = Encodings.charset(
                configs, isKey ? "key.serializer.encoding" : "value.serializer.encoding", "serializer.encoding");
    }

    @Override
    public byte[] serialize(String topic, String data) {
        return data == null ? null : data.getBytes(charset);
    }
}
