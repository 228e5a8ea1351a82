package io.weir.common.serialization;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** A UUID as its 36-character string form in UTF-8, as Kafka writes it. Stateless and thread-safe. */
public final class UUIDSerializer implements Serializer<UUID> {
    @Override
    public byte[] serialize(String topic, UUID data) {
        return data == null ? null : data.toString().getBytes(StandardCharsets.UTF_8);
    }
}
