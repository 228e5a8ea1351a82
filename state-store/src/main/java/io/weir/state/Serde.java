package io.weir.state;

import java.util.Objects;
import java.util.function.Function;

/**
 * Turns values of one type into bytes and back. Implementations are thread-safe. A {@code null} value serializes to
 * {@code null} and back (a store treats a null value as a delete). The bytes of a key decide its position in the
 * store: keys are ordered by their serialized bytes, unsigned lexicographically.
 */
public interface Serde<T> {
    /** @throws io.weir.state.errors.SerializationException if {@code value} cannot be written */
    byte[] serialize(T value);

    /** @throws io.weir.state.errors.SerializationException if {@code bytes} are not a valid encoding */
    T deserialize(byte[] bytes);

    /** A serde from two functions; {@code null} is passed through without calling them. */
    static <T> Serde<T> of(Function<? super T, byte[]> serializer, Function<byte[], ? extends T> deserializer) {
        Objects.requireNonNull(serializer, "serializer");
        Objects.requireNonNull(deserializer, "deserializer");
        return new Serde<>() {
            @Override
            public byte[] serialize(T value) {
                return value == null ? null : serializer.apply(value);
            }

            @Override
            public T deserialize(byte[] bytes) {
                return bytes == null ? null : deserializer.apply(bytes);
            }
        };
    }
}
