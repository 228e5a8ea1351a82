package io.weir.streams.kstream;

import io.weir.common.errors.SerializationException;
import io.weir.common.serialization.Deserializer;
import io.weir.common.serialization.Serde;
import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.Serializer;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * Serdes of {@link Windowed} keys in Kafka Streams' byte layouts, so that a windowed table's output topic reads the
 * same in either system: a time-windowed key is {@code [key][window start: 8 bytes]} (the size is not written; the
 * reader knows it), a session-windowed key is {@code [key][session end: 8][session start: 8]}, big-endian.
 */
public final class WindowedSerdes {
    private WindowedSerdes() {}

    /** The serde of keys windowed by {@link TimeWindows} of {@code windowSize} ms. */
    public static final class TimeWindowedSerde<T> implements Serde<Windowed<T>> {
        private final Serde<T> inner;
        private final long windowSize;

        public TimeWindowedSerde(Serde<T> inner, long windowSize) {
            this.inner = java.util.Objects.requireNonNull(inner, "inner");
            if (windowSize <= 0) {
                throw new IllegalArgumentException("windowSize must be > 0, was " + windowSize);
            }
            this.windowSize = windowSize;
        }

        @Override
        public Serializer<Windowed<T>> serializer() {
            return (topic, w) -> {
                if (w == null) {
                    return null;
                }
                byte[] key = inner.serializer().serialize(topic, w.key());
                return ByteBuffer.allocate(key.length + 8)
                        .put(key)
                        .putLong(w.window().start())
                        .array();
            };
        }

        @Override
        public Deserializer<Windowed<T>> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                check(data, 8, topic);
                T key = inner.deserializer().deserialize(topic, Arrays.copyOf(data, data.length - 8));
                long start = ByteBuffer.wrap(data, data.length - 8, 8).getLong();
                // Kafka's reader caps the end so that a window near the end of time does not overflow.
                long end = start + windowSize < start ? Long.MAX_VALUE : start + windowSize;
                return new Windowed<>(key, new TimeWindow(start, end));
            };
        }
    }

    /** The serde of keys windowed by {@link SessionWindows}. */
    public static final class SessionWindowedSerde<T> implements Serde<Windowed<T>> {
        private final Serde<T> inner;

        public SessionWindowedSerde(Serde<T> inner) {
            this.inner = java.util.Objects.requireNonNull(inner, "inner");
        }

        @Override
        public Serializer<Windowed<T>> serializer() {
            return (topic, w) -> {
                if (w == null) {
                    return null;
                }
                byte[] key = inner.serializer().serialize(topic, w.key());
                return ByteBuffer.allocate(key.length + 16)
                        .put(key)
                        .putLong(w.window().end())
                        .putLong(w.window().start())
                        .array();
            };
        }

        @Override
        public Deserializer<Windowed<T>> deserializer() {
            return (topic, data) -> {
                if (data == null) {
                    return null;
                }
                check(data, 16, topic);
                T key = inner.deserializer().deserialize(topic, Arrays.copyOf(data, data.length - 16));
                ByteBuffer b = ByteBuffer.wrap(data, data.length - 16, 16);
                long end = b.getLong();
                long start = b.getLong();
                return new Windowed<>(key, new SessionWindow(start, end));
            };
        }
    }

    private static void check(byte[] data, int timeBytes, String topic) {
        if (data.length < timeBytes) {
            throw new SerializationException("A windowed key of topic " + topic + " has " + data.length
                    + " bytes, fewer than its " + timeBytes + " bytes of window times");
        }
    }

    public static <T> Serde<Windowed<T>> timeWindowedSerdeFrom(Serde<T> inner, long windowSize) {
        return new TimeWindowedSerde<>(inner, windowSize);
    }

    /** Kafka's form: the inner serde of a built-in type ({@code String}, {@code Long}, {@code Integer}, ...). */
    public static <T> Serde<Windowed<T>> timeWindowedSerdeFrom(Class<T> type, long windowSize) {
        return new TimeWindowedSerde<>(builtIn(type), windowSize);
    }

    public static <T> Serde<Windowed<T>> sessionWindowedSerdeFrom(Serde<T> inner) {
        return new SessionWindowedSerde<>(inner);
    }

    public static <T> Serde<Windowed<T>> sessionWindowedSerdeFrom(Class<T> type) {
        return new SessionWindowedSerde<>(builtIn(type));
    }

    @SuppressWarnings("unchecked")
    private static <T> Serde<T> builtIn(Class<T> type) {
        Serde<?> serde;
        if (type == String.class) {
            serde = Serdes.String();
        } else if (type == Long.class) {
            serde = Serdes.Long();
        } else if (type == Integer.class) {
            serde = Serdes.Integer();
        } else if (type == Double.class) {
            serde = Serdes.Double();
        } else if (type == byte[].class) {
            serde = Serdes.ByteArray();
        } else {
            throw new IllegalArgumentException(
                    "No built-in serde for " + type.getName() + "; pass the inner serde instead of its class");
        }
        return (Serde<T>) serde;
    }
}
