package io.weir.state;

import io.weir.state.errors.ConfigException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;

/**
 * Typed, immutable store configuration. String keys exist only at the edge ({@link #fromMap}); inside, this record
 * travels.
 *
 * @param cacheMaxBytes        {@code statestore.cache.max.bytes}: record-cache bound in bytes (0 = no cache)
 * @param closeGrace           {@code statestore.close.grace.ms}: how long close waits for open iterators
 * @param mapSizeBytes         {@code statestore.lmdb.map.size.bytes}: initial LMDB map size; grows when full
 * @param maxMapSizeBytes      {@code statestore.lmdb.map.size.max.bytes}: the map never grows past this
 * @param maxReaders           {@code statestore.lmdb.max.readers}: LMDB reader slots (concurrent iterators + reads)
 * @param syncMode             {@code statestore.lmdb.sync}: {@code fsync} or {@code no_sync}
 * @param restoreBatchRecords  {@code statestore.restore.batch.records}: records per restore transaction
 * @param maxValueBytes        {@code statestore.max.value.bytes}: largest serialized value accepted
 */
public record StoreConfig(
        long cacheMaxBytes,
        Duration closeGrace,
        long mapSizeBytes,
        long maxMapSizeBytes,
        int maxReaders,
        SyncMode syncMode,
        int restoreBatchRecords,
        int maxValueBytes) {

    public static final String CACHE_MAX_BYTES = "statestore.cache.max.bytes";
    public static final String CLOSE_GRACE_MS = "statestore.close.grace.ms";
    public static final String MAP_SIZE_BYTES = "statestore.lmdb.map.size.bytes";
    public static final String MAX_MAP_SIZE_BYTES = "statestore.lmdb.map.size.max.bytes";
    public static final String MAX_READERS = "statestore.lmdb.max.readers";
    public static final String SYNC = "statestore.lmdb.sync";
    public static final String RESTORE_BATCH_RECORDS = "statestore.restore.batch.records";
    public static final String MAX_VALUE_BYTES = "statestore.max.value.bytes";

    /**
     * Kafka Streams' default cache size (10 MiB), 5 s grace, a 1 GiB initial map (address space, not disk), restore
     * batches of 100k records (measured: 2.5x the rate of 10k batches on random keys; a batch keeps its records
     * reachable, about 17 MB at 100-byte values).
     */
    public static final StoreConfig DEFAULTS = new StoreConfig(
            10L << 20, Duration.ofSeconds(5), 1L << 30, 1L << 40, 126, SyncMode.FSYNC, 100_000, 16 << 20);

    public StoreConfig {
        requireAtLeast(CACHE_MAX_BYTES, cacheMaxBytes, 0);
        Objects.requireNonNull(closeGrace, CLOSE_GRACE_MS);
        if (closeGrace.isNegative()) {
            throw new ConfigException(CLOSE_GRACE_MS, closeGrace.toMillis(), "must be >= 0");
        }
        requireAtLeast(MAP_SIZE_BYTES, mapSizeBytes, 64 << 10);
        requireAtLeast(MAX_MAP_SIZE_BYTES, maxMapSizeBytes, mapSizeBytes);
        requireAtLeast(MAX_READERS, maxReaders, 1);
        Objects.requireNonNull(syncMode, SYNC);
        requireAtLeast(RESTORE_BATCH_RECORDS, restoreBatchRecords, 1);
        requireAtLeast(MAX_VALUE_BYTES, maxValueBytes, 1);
    }

    private static void requireAtLeast(String key, long value, long min) {
        if (value < min) {
            throw new ConfigException(key, value, "must be >= " + min);
        }
    }

    /**
     * Parses the {@code statestore.*} keys of a configuration map (other keys are ignored; an unknown
     * {@code statestore.*} key is rejected, as it is most likely a typo). Values may be strings or numbers.
     *
     * @throws ConfigException naming the key and value that could not be parsed or are out of range
     */
    public static StoreConfig fromMap(Map<String, ?> config) {
        Map<String, Object> known = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : config.entrySet()) {
            if (e.getKey().startsWith("statestore.")) {
                if (!KEYS.containsKey(e.getKey())) {
                    throw new ConfigException(e.getKey(), e.getValue(), "unknown key; known: " + KEYS.keySet());
                }
                known.put(e.getKey(), e.getValue());
            }
        }
        StoreConfig d = DEFAULTS;
        return new StoreConfig(
                parse(known, CACHE_MAX_BYTES, d.cacheMaxBytes, Long::parseLong),
                Duration.ofMillis(parse(known, CLOSE_GRACE_MS, d.closeGrace.toMillis(), Long::parseLong)),
                parse(known, MAP_SIZE_BYTES, d.mapSizeBytes, Long::parseLong),
                parse(known, MAX_MAP_SIZE_BYTES, d.maxMapSizeBytes, Long::parseLong),
                parse(known, MAX_READERS, d.maxReaders, Integer::parseInt),
                parse(known, SYNC, d.syncMode, s -> SyncMode.valueOf(s.toUpperCase(Locale.ROOT))),
                parse(known, RESTORE_BATCH_RECORDS, d.restoreBatchRecords, Integer::parseInt),
                parse(known, MAX_VALUE_BYTES, d.maxValueBytes, Integer::parseInt));
    }

    /** The keys {@link #fromMap} understands, with their documentation. */
    public static final Map<String, String> KEYS = Map.of(
            CACHE_MAX_BYTES, "record cache bound in bytes, 0 disables the cache",
            CLOSE_GRACE_MS, "milliseconds close() waits for open iterators before refusing",
            MAP_SIZE_BYTES, "initial LMDB map size in bytes; the map doubles when full",
            MAX_MAP_SIZE_BYTES, "largest LMDB map size in bytes",
            MAX_READERS, "LMDB reader slots: concurrent read transactions (iterators, reads)",
            SYNC, "fsync | no_sync: whether an LMDB commit fsyncs",
            RESTORE_BATCH_RECORDS, "changelog records applied per restore transaction",
            MAX_VALUE_BYTES, "largest serialized value accepted");

    private static <T> T parse(Map<String, Object> config, String key, T defaultValue, Function<String, T> parser) {
        Object raw = config.get(key);
        if (raw == null) {
            return defaultValue;
        }
        try {
            return parser.apply(raw.toString().trim());
        } catch (RuntimeException e) {
            throw new ConfigException(key, raw, "cannot parse: " + e.getMessage());
        }
    }

    public StoreConfig withCacheMaxBytes(long bytes) {
        return new StoreConfig(
                bytes,
                closeGrace,
                mapSizeBytes,
                maxMapSizeBytes,
                maxReaders,
                syncMode,
                restoreBatchRecords,
                maxValueBytes);
    }

    public StoreConfig withCloseGrace(Duration grace) {
        return new StoreConfig(
                cacheMaxBytes,
                grace,
                mapSizeBytes,
                maxMapSizeBytes,
                maxReaders,
                syncMode,
                restoreBatchRecords,
                maxValueBytes);
    }

    public StoreConfig withMapSizeBytes(long bytes) {
        return new StoreConfig(
                cacheMaxBytes,
                closeGrace,
                bytes,
                Math.max(bytes, maxMapSizeBytes),
                maxReaders,
                syncMode,
                restoreBatchRecords,
                maxValueBytes);
    }

    public StoreConfig withMaxMapSizeBytes(long bytes) {
        return new StoreConfig(
                cacheMaxBytes,
                closeGrace,
                mapSizeBytes,
                bytes,
                maxReaders,
                syncMode,
                restoreBatchRecords,
                maxValueBytes);
    }

    public StoreConfig withSyncMode(SyncMode mode) {
        return new StoreConfig(
                cacheMaxBytes,
                closeGrace,
                mapSizeBytes,
                maxMapSizeBytes,
                maxReaders,
                mode,
                restoreBatchRecords,
                maxValueBytes);
    }

    public StoreConfig withRestoreBatchRecords(int records) {
        return new StoreConfig(
                cacheMaxBytes, closeGrace, mapSizeBytes, maxMapSizeBytes, maxReaders, syncMode, records, maxValueBytes);
    }

    public StoreConfig withMaxValueBytes(int bytes) {
        return new StoreConfig(
                cacheMaxBytes,
                closeGrace,
                mapSizeBytes,
                maxMapSizeBytes,
                maxReaders,
                syncMode,
                restoreBatchRecords,
                bytes);
    }
}
