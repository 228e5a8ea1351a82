package io.weir.common.serialization;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Strings from UTF-8 by default; the charset follows {@code key.deserializer.encoding} /
 * {@code value.deserializer.encoding} or {@code deserializer.encoding}. Malformed input is replaced, not
 * rejected, as {@code new String(bytes, charset)} does (and Kafka with it). Thread-safe.
 */
public final class StringDeserializer implements Deserializer<String> {
    private volatile Charset charset = StandardCharsets.UTF_8;

    @Override
    public void configure(Map<String, ?> configs, boolean isKey) {
        charset = Encodings.charset(
                configs, isKey ? "key.deserializer.encoding" : "value.deserializer.encoding", "deserializer.encoding");
    }

    @Override
    public String deserialize(String topic, byte[] data) {
        return data == null ? null : new String(data, charset);
    }
}
