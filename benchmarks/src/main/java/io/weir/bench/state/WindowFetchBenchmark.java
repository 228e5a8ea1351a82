package io.weir.bench.state;

import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.ReadOnlyWindowStore;
import io.weir.state.Serdes;
import io.weir.state.WindowStore;
import io.weir.state.WindowStores;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.lmdbjava.Cursor;
import org.lmdbjava.Dbi;
import org.lmdbjava.DbiFlags;
import org.lmdbjava.Env;
import org.lmdbjava.EnvFlags;
import org.lmdbjava.GetOp;
import org.lmdbjava.Txn;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * One key's time range from the state-store's LMDB window store against the same scan done with lmdbjava directly.
 * Both hold {@code keys} keys ({@code k00000}...) times {@code windows} one-minute windows (starts 0, 1 min, ...),
 * each holding a count (8 bytes, Kafka's long layout), in the window store's key layout
 * {@code [segment id: 8][key][window start: 8][sequence: 4]} (numbers big-endian, sign bit flipped; segments of half
 * the retention, as the store cuts them), with the same environment settings ({@code MDB_NOTLS}, no fsync, the same
 * map size). Each fetch takes a random key and a random run of {@code fetchWindows} (10) consecutive windows and reads
 * every window start and count:
 * <ul>
 *   <li>{@code weirFetch}: {@code WindowStore.fetch(key, from, to)} on the owner's store (what a stream-stream join or
 *       a windowed aggregation's reads go through);</li>
 *   <li>{@code weirViewFetch}: the same through {@code readOnlyView()} (what interactive queries go through);</li>
 *   <li>{@code rawFetch}: renew a reset read transaction, open a cursor, and per segment the range touches seek to
 *       {@code [segment][key][from][0]} and step forward while the entry is this key's and starts at or before
 *       {@code to}, decoding the start and the count from the mapped bytes.</li>
 * </ul>
 * The figure of interest is the ratio weirFetch / rawFetch (goal >= 0.8). Both sides are checked to return the same
 * windows before measuring.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Fork(
        value = 1,
        jvmArgsAppend = {
            "--add-opens",
            "java.base/java.nio=ALL-UNNAMED",
            "--add-opens",
            "java.base/sun.nio.ch=ALL-UNNAMED"
        })
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 3, time = 3)
public class WindowFetchBenchmark {
    static final long WINDOW_MS = 60_000L;
    private static final int SEQ_BYTES = Integer.BYTES;

    @Param("10000")
    public int keys;

    /** Windows per key. */
    @Param("100")
    public int windows;

    /** Consecutive windows per fetch. */
    @Param("10")
    public int fetchWindows;

    private Path root;
    private WindowStore<String, Long> weir;
    private ReadOnlyWindowStore<String, Long> weirView;
    private Env<ByteBuffer> rawEnv;
    private Dbi<ByteBuffer> rawDbi;
    private long segmentInterval;

    @Setup(Level.Trial)
    public void setUp() {
        long retention = windows * WINDOW_MS;
        segmentInterval = Math.max(retention / 2, 60_000L); // the store's rule, as Kafka Streams'
        root = BenchData.tempDir("weir-bench-window");
        weir = WindowStores.windowStoreBuilder("bench", Serdes.string(), Serdes.int64())
                .lmdb(root.resolve("weir"))
                .config(BenchData.config())
                .retention(Duration.ofMillis(retention))
                .windowSize(Duration.ofMillis(WINDOW_MS))
                .build();
        weirView = weir.readOnlyView();
        rawEnv = Env.create()
                .setMapSize(BenchData.MAP_SIZE)
                .setMaxDbs(2)
                .setMaxReaders(126)
                .open(mkdirs(root.resolve("raw")), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
        rawDbi = rawEnv.openDbi("data", DbiFlags.MDB_CREATE);

        ByteBuffer k = ByteBuffer.allocateDirect(511);
        ByteBuffer v = ByteBuffer.allocateDirect(Long.BYTES);
        Txn<ByteBuffer> txn = rawEnv.txnWrite();
        long puts = 0;
        // Window by window, as an aggregation's stream time moves; a commit every 100k puts on both sides.
        for (int w = 0; w < windows; w++) {
            long start = w * WINDOW_MS;
            for (int i = 0; i < keys; i++) {
                long count = count(i, w);
                weir.put(key(i), count, start);
                rawDbi.put(txn, storeKey(k, key(i).getBytes(StandardCharsets.UTF_8), start), longValue(v, count));
                if (++puts % 100_000 == 0) {
                    weir.commit();
                    txn.commit();
                    txn.close();
                    txn = rawEnv.txnWrite();
                }
            }
        }
        weir.commit();
        txn.commit();
        txn.close();
        checkSameResults();
    }

    /** The count stored for key {@code i}'s window {@code w}: distinct per entry, so a wrong window shows. */
    static long count(int i, int w) {
        return (long) i * 1_000 + w;
    }

    static String key(int i) {
        return String.format("k%05d", i);
    }

    private long segment(long start) {
        return Math.floorDiv(start, segmentInterval);
    }

    /** {@code [segment][key][start][seq 0]} into {@code b}, flipped for reading. */
    private ByteBuffer storeKey(ByteBuffer b, byte[] key, long start) {
        b.clear();
        b.putLong(segment(start) ^ Long.MIN_VALUE).put(key).putLong(start ^ Long.MIN_VALUE);
        b.putInt(0).flip();
        return b;
    }

    private static ByteBuffer longValue(ByteBuffer b, long value) {
        b.clear();
        b.putLong(value).flip();
        return b;
    }

    private static java.io.File mkdirs(Path p) {
        p.toFile().mkdirs();
        return p.toFile();
    }

    private void checkSameResults() {
        ThreadState t = new ThreadState();
        t.setUp(this);
        try {
            for (int probe = 0; probe < 100; probe++) {
                int i = t.random.nextInt(keys);
                long from = t.random.nextInt(windows - fetchWindows + 1) * WINDOW_MS;
                long to = from + (fetchWindows - 1) * WINDOW_MS;
                long[] raw = new long[2 * fetchWindows];
                int rawCount = rawScan(t, key(i).getBytes(StandardCharsets.UTF_8), from, to, (s, c) -> {
                    raw[2 * t.filled] = s;
                    raw[2 * t.filled + 1] = c;
                    t.filled++;
                });
                t.filled = 0;
                int n = 0;
                try (KeyValueIterator<Long, Long> it = weir.fetch(key(i), from, to)) {
                    while (it.hasNext()) {
                        KeyValue<Long, Long> kv = it.next();
                        if (n >= rawCount || kv.key() != raw[2 * n] || kv.value() != raw[2 * n + 1]) {
                            throw new IllegalStateException("weir and raw differ for " + key(i) + " at window " + n);
                        }
                        n++;
                    }
                }
                if (n != fetchWindows || rawCount != fetchWindows) {
                    throw new IllegalStateException("expected " + fetchWindows + " windows of " + key(i) + " from "
                            + from + ", weir gave " + n + ", raw " + rawCount);
                }
            }
        } finally {
            t.tearDown();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weir.close();
        rawEnv.close();
        BenchData.delete(root);
    }

    /** What the raw scan hands each window to. */
    @FunctionalInterface
    interface WindowSink {
        void accept(long start, long count);
    }

    /** Per-thread state: random source, key bytes, the raw side's buffers and reset read transaction. */
    @State(Scope.Thread)
    public static class ThreadState {
        final SplittableRandom random = new SplittableRandom(7);
        final ByteBuffer seek = ByteBuffer.allocateDirect(511);
        byte[][] keyBytes;
        String[] keyStrings;
        Txn<ByteBuffer> rawRead;
        int filled;
        int keys;
        int windows;
        int fetchWindows;

        @Setup(Level.Trial)
        public void setUp(WindowFetchBenchmark bench) {
            keys = bench.keys;
            windows = bench.windows;
            fetchWindows = bench.fetchWindows;
            keyStrings = new String[keys];
            keyBytes = new byte[keys][];
            for (int i = 0; i < keys; i++) {
                keyStrings[i] = key(i);
                keyBytes[i] = keyStrings[i].getBytes(StandardCharsets.UTF_8);
            }
            rawRead = bench.rawEnv.txnRead();
            rawRead.reset();
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            rawRead.renew();
            rawRead.close();
        }

        int nextKey() {
            return random.nextInt(keys);
        }

        long nextFrom() {
            return random.nextInt(windows - fetchWindows + 1) * WINDOW_MS;
        }
    }

    @Benchmark
    public void weirFetch(ThreadState t, Blackhole bh) {
        fetchFrom(weir, t, bh);
    }

    @Benchmark
    public void weirViewFetch(ThreadState t, Blackhole bh) {
        fetchFrom(weirView, t, bh);
    }

    private void fetchFrom(ReadOnlyWindowStore<String, Long> store, ThreadState t, Blackhole bh) {
        long from = t.nextFrom();
        try (KeyValueIterator<Long, Long> it =
                store.fetch(t.keyStrings[t.nextKey()], from, from + (fetchWindows - 1) * WINDOW_MS)) {
            while (it.hasNext()) {
                KeyValue<Long, Long> kv = it.next();
                bh.consume(kv.key());
                bh.consume(kv.value());
            }
        }
    }

    @Benchmark
    public void rawFetch(ThreadState t, Blackhole bh) {
        long from = t.nextFrom();
        rawScan(t, t.keyBytes[t.nextKey()], from, from + (fetchWindows - 1) * WINDOW_MS, (start, count) -> {
            bh.consume(start);
            bh.consume(count);
        });
    }

    /** Whether the stored key {@code k} holds exactly {@code key} after its segment id. */
    private static boolean holdsKey(ByteBuffer k, byte[] key) {
        for (int j = 0; j < key.length; j++) {
            if (k.get(Long.BYTES + j) != key[j]) {
                return false;
            }
        }
        return true;
    }

    /** The raw scan: one read transaction and cursor, a seek per segment, a step per window. */
    int rawScan(ThreadState t, byte[] key, long from, long to, WindowSink sink) {
        int found = 0;
        Txn<ByteBuffer> txn = t.rawRead;
        txn.renew();
        try (Cursor<ByteBuffer> cursor = rawDbi.openCursor(txn)) {
            for (long segment = segment(from); segment <= segment(to); segment++) {
                long first = Math.max(from, segment * segmentInterval);
                boolean more = cursor.get(storeKey(t.seek, key, first), GetOp.MDB_SET_RANGE);
                while (more) {
                    ByteBuffer k = cursor.key();
                    if (k.remaining() != Long.BYTES + key.length + Long.BYTES + SEQ_BYTES
                            || k.getLong(0) != (segment ^ Long.MIN_VALUE)
                            || !holdsKey(k, key)) {
                        break;
                    }
                    long start = k.getLong(Long.BYTES + key.length) ^ Long.MIN_VALUE;
                    if (start > to) {
                        break;
                    }
                    sink.accept(start, cursor.val().getLong(0));
                    found++;
                    more = cursor.next();
                }
            }
        } finally {
            txn.reset();
        }
        return found;
    }
}
