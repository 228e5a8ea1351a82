package io.weir.common.record;

import java.util.Arrays;
import java.util.stream.Collectors;

/**
 * The compression codec of a record batch, stored in the low three bits of the batch attributes. The ids and
 * config names are Kafka's, so batches and {@code compression.type} settings move between the two unchanged.
 *
 * <p>Each type owns one stateless, thread-safe {@link CompressionCodec}, loaded on first use: the snappy,
 * lz4 and zstd libraries (and their native code) are touched only by a process that meets such a batch, so a
 * deployment that never does may leave those jars out, as with Kafka.
 */
public enum CompressionType {
    NONE(0, "none") {
        @Override
        public CompressionCodec codec() {
            return NoneCodec.INSTANCE;
        }
    },
    GZIP(1, "gzip") {
        @Override
        public CompressionCodec codec() {
            return GzipCodec.INSTANCE;
        }
    },
    SNAPPY(2, "snappy") {
        @Override
        public CompressionCodec codec() {
            return SnappyCodec.INSTANCE;
        }
    },
    LZ4(3, "lz4") {
        @Override
        public CompressionCodec codec() {
            return Lz4Codec.INSTANCE;
        }
    },
    ZSTD(4, "zstd") {
        @Override
        public CompressionCodec codec() {
            return ZstdCodec.INSTANCE;
        }
    };

    private static final CompressionType[] BY_ID = values();

    private final int id;
    private final String configName;

    CompressionType(int id, String configName) {
        this.id = id;
        this.configName = configName;
    }

    /** The value of the attributes' compression bits. */
    public int id() {
        return id;
    }

    /** The name used in {@code compression.type}. */
    public String configName() {
        return configName;
    }

    /**
     * The codec that compresses and decompresses the records section of a batch of this type.
     *
     * @throws NoClassDefFoundError if the codec's library is not on the class path
     */
    public abstract CompressionCodec codec();

    /**
     * @throws IllegalArgumentException if {@code id} is not 0..4, naming it and the known ids
     */
    public static CompressionType forId(int id) {
        if (id < 0 || id >= BY_ID.length) {
            throw new IllegalArgumentException("unknown compression type id " + id + "; known: "
                    + Arrays.stream(BY_ID).map(t -> t.id + "=" + t.configName).collect(Collectors.joining(", ")));
        }
        return BY_ID[id];
    }

    /**
     * @param name a config name, case-sensitive as in Kafka ("gzip", not "GZIP")
     * @throws IllegalArgumentException if {@code name} is unknown, naming it and the known names
     */
    public static CompressionType forName(String name) {
        for (CompressionType t : BY_ID) {
            if (t.configName.equals(name)) {
                return t;
            }
        }
        throw new IllegalArgumentException("unknown compression type name '" + name + "'; known: "
                + Arrays.stream(BY_ID).map(CompressionType::configName).collect(Collectors.joining(", ")));
    }
}
