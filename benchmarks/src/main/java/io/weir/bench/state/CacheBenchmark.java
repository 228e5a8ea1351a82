package io.weir.bench.state;

import io.weir.state.KeyValueStore;
import io.weir.state.KeyValueStores;
import io.weir.state.Serdes;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.AuxCounters;
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

/**
 * Read-modify-write updates (get a counter, put it back incremented — what an aggregation does) of a hot key set,
 * through an LMDB store with and without the record cache, committing every {@value #COMMIT_EVERY} updates. The
 * changelog hook copies each record it is handed, standing in for a producer send; the {@code changelogRecords}
 * counter shows how many records each variant would send.
 */
@State(Scope.Thread)
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
public class CacheBenchmark {
    static final int COMMIT_EVERY = 10_000;

    /** Record cache size in bytes; 0 = no cache. */
    @Param({"0", "10485760"})
    public long cacheBytes;

    @Param("1000")
    public int hotKeys;

    private Path root;
    private KeyValueStore<Long, Long> store;
    private final SplittableRandom random = new SplittableRandom(3);
    private long updates;
    private long offset;
    long logged;
    byte[] sink;

    @Setup(Level.Trial)
    public void setUp() {
        root = BenchData.tempDir("weir-bench-cache");
        store = KeyValueStores.builder("counts", Serdes.orderedInt64(), Serdes.int64())
                .lmdb(root.resolve("s"))
                .config(BenchData.config().withCacheMaxBytes(cacheBytes))
                .changelog((k, v) -> {
                    sink = v == null ? k.clone() : v.clone();
                    logged++;
                })
                .build();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        store.commit(offset);
        store.close();
        BenchData.delete(root);
    }

    /** Changelog records handed to the hook during the measured iterations (JMH reports them per second). */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Counters {
        public long changelogRecords;
    }

    @Benchmark
    public void update(Counters counters) {
        long before = logged;
        long key = random.nextInt(hotKeys);
        Long current = store.get(key);
        store.put(key, current == null ? 1L : current + 1);
        if (++updates % COMMIT_EVERY == 0) {
            store.commit(offset++);
        }
        counters.changelogRecords += logged - before;
    }
}
