package io.weir.bench.state;

import io.weir.state.KeyValue;
import io.weir.state.KeyValueIterator;
import io.weir.state.KeyValueStore;
import java.nio.ByteBuffer;
import java.nio.file.Path;
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
 * Weir's LMDB store against raw lmdbjava with the same settings: one environment, {@code MDB_NOTLS}, no fsync, the
 * same map size, the same 8-byte keys (ordered-long encoding) and 100-byte values, the same data. Each pair of
 * methods ({@code weirX} / {@code rawX}) does the same work:
 * <ul>
 *   <li>get: one random key; raw renews/resets one read transaction per get (each get sees the latest commit, as
 *       Weir's do) and copies the value into a reused array;</li>
 *   <li>put: overwrite one random key, committing every {@value #COMMIT_EVERY} puts (Weir: {@code commit()};
 *       raw: commit the write transaction and begin the next);</li>
 *   <li>range: scan {@code scanLength} (100) consecutive keys from a random start, reading every key and value.</li>
 * </ul>
 * The ratio Weir/raw of each pair is the figure of interest (goal >= 0.8).
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
public class LmdbStoreBenchmark {
    static final int COMMIT_EVERY = 1_000;

    @Param("1000000")
    public int keys;

    /** Keys per range scan. */
    @Param("100")
    public int scanLength;

    private Path root;
    private KeyValueStore<Long, byte[]> weir;
    private Env<ByteBuffer> rawEnv;
    private Dbi<ByteBuffer> rawDbi;

    @Setup(Level.Trial)
    public void setUp() {
        root = BenchData.tempDir("weir-bench-lmdb");
        weir = BenchData.openWeir(root.resolve("weir"), BenchData.config());
        rawEnv = Env.create()
                .setMapSize(BenchData.MAP_SIZE)
                .setMaxDbs(2)
                .setMaxReaders(126)
                .open(mkdirs(root.resolve("raw")), EnvFlags.MDB_NOTLS, EnvFlags.MDB_NOSYNC);
        rawDbi = rawEnv.openDbi("data", DbiFlags.MDB_CREATE);

        SplittableRandom random = new SplittableRandom(42);
        ByteBuffer k = ByteBuffer.allocateDirect(8);
        ByteBuffer v = ByteBuffer.allocateDirect(BenchData.VALUE_BYTES);
        Txn<ByteBuffer> txn = rawEnv.txnWrite();
        for (int i = 0; i < keys; i++) {
            byte[] value = BenchData.value(random);
            weir.put((long) i, value);
            k.clear();
            k.putLong(BenchData.rawKey(i)).flip();
            v.clear();
            v.put(value).flip();
            rawDbi.put(txn, k, v);
            if (i % 100_000 == 99_999) {
                weir.commit();
                txn.commit();
                txn.close();
                txn = rawEnv.txnWrite();
            }
        }
        weir.commit();
        txn.commit();
        txn.close();
    }

    private static java.io.File mkdirs(Path p) {
        p.toFile().mkdirs();
        return p.toFile();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        weir.close();
        rawEnv.close();
        BenchData.delete(root);
    }

    /** Per-thread state: random source, reusable buffers, the raw side's transactions. */
    @State(Scope.Thread)
    public static class ThreadState {
        final SplittableRandom random = new SplittableRandom(7);
        final ByteBuffer key = ByteBuffer.allocateDirect(8);
        final ByteBuffer value = ByteBuffer.allocateDirect(BenchData.VALUE_BYTES);
        final byte[] valueOut = new byte[BenchData.VALUE_BYTES];
        final byte[] keyOut = new byte[8];
        final byte[] newValue = new byte[BenchData.VALUE_BYTES];
        Txn<ByteBuffer> rawRead;
        Txn<ByteBuffer> rawWrite;
        int weirPuts;
        int rawPuts;
        int keys;

        @Setup(Level.Trial)
        public void setUp(LmdbStoreBenchmark bench) {
            keys = bench.keys;
            rawRead = bench.rawEnv.txnRead();
            rawRead.reset();
            random.nextBytes(newValue);
        }

        @TearDown(Level.Trial)
        public void tearDown(LmdbStoreBenchmark bench) {
            if (rawWrite != null) {
                rawWrite.commit();
                rawWrite.close();
            }
            bench.weir.commit();
            rawRead.renew();
            rawRead.close();
        }

        long nextKey() {
            return random.nextInt(keys);
        }

        ByteBuffer rawKey(long key) {
            this.key.clear();
            this.key.putLong(BenchData.rawKey(key)).flip();
            return this.key;
        }
    }

    @Benchmark
    public byte[] weirGet(ThreadState t) {
        return weir.get(t.nextKey());
    }

    @Benchmark
    public byte[] rawGet(ThreadState t) {
        Txn<ByteBuffer> txn = t.rawRead;
        txn.renew();
        try {
            ByteBuffer v = rawDbi.get(txn, t.rawKey(t.nextKey()));
            v.get(0, t.valueOut);
            return t.valueOut;
        } finally {
            txn.reset();
        }
    }

    @Benchmark
    public void weirPut(ThreadState t) {
        weir.put(t.nextKey(), t.newValue);
        if (++t.weirPuts % COMMIT_EVERY == 0) {
            weir.commit();
        }
    }

    @Benchmark
    public void rawPut(ThreadState t) {
        if (t.rawWrite == null) {
            t.rawWrite = rawEnv.txnWrite();
        }
        t.value.clear();
        t.value.put(t.newValue).flip();
        rawDbi.put(t.rawWrite, t.rawKey(t.nextKey()), t.value);
        if (++t.rawPuts % COMMIT_EVERY == 0) {
            t.rawWrite.commit();
            t.rawWrite.close();
            t.rawWrite = null;
        }
    }

    @Benchmark
    public void weirRange(ThreadState t, Blackhole bh) {
        long from = t.random.nextInt(t.keys - scanLength);
        try (KeyValueIterator<Long, byte[]> it = weir.range(from, from + scanLength - 1)) {
            while (it.hasNext()) {
                KeyValue<Long, byte[]> kv = it.next();
                bh.consume(kv.key());
                bh.consume(kv.value());
            }
        }
    }

    /**
     * {@link #rawRange} made to hand out what Weir's iterator hands out: a fresh {@code KeyValue<Long, byte[]>} per
     * entry, its key decoded and its value copied to a new array. Isolates the cost of materializing results from
     * the cost of the store's layers.
     */
    @Benchmark
    public void rawRangeMaterialized(ThreadState t, Blackhole bh) {
        long from = t.random.nextInt(t.keys - scanLength);
        long to = BenchData.rawKey(from + scanLength - 1);
        Txn<ByteBuffer> txn = t.rawRead;
        txn.renew();
        try (Cursor<ByteBuffer> cursor = rawDbi.openCursor(txn)) {
            boolean found = cursor.get(t.rawKey(from), GetOp.MDB_SET_RANGE);
            while (found) {
                ByteBuffer k = cursor.key();
                long raw = k.getLong(0);
                if (Long.compareUnsigned(raw, to) > 0) {
                    break;
                }
                ByteBuffer v = cursor.val();
                byte[] value = new byte[v.remaining()];
                v.get(0, value);
                bh.consume(new KeyValue<>(raw ^ Long.MIN_VALUE, value));
                found = cursor.next();
            }
        } finally {
            txn.reset();
        }
    }

    @Benchmark
    public void rawRange(ThreadState t, Blackhole bh) {
        long from = t.random.nextInt(t.keys - scanLength);
        long to = BenchData.rawKey(from + scanLength - 1);
        Txn<ByteBuffer> txn = t.rawRead;
        txn.renew();
        try (Cursor<ByteBuffer> cursor = rawDbi.openCursor(txn)) {
            boolean found = cursor.get(t.rawKey(from), GetOp.MDB_SET_RANGE);
            while (found) {
                ByteBuffer k = cursor.key();
                if (Long.compareUnsigned(k.getLong(0), to) > 0) {
                    break;
                }
                k.get(0, t.keyOut);
                cursor.val().get(0, t.valueOut);
                bh.consume(t.keyOut);
                bh.consume(t.valueOut);
                found = cursor.next();
            }
        } finally {
            txn.reset();
        }
    }
}
