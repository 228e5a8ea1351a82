package io.weir.bench.state;

import io.weir.state.ChangelogRecord;
import io.weir.state.KeyValueStore;
import io.weir.state.RestoreListener;
import io.weir.state.StoreConfig;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Restore rate: replays {@value #RECORDS} changelog records (8-byte keys in random order, as a compacted topic
 * holds them, 100-byte values) into an LMDB store through the bulk path, {@code statestore.restore.batch.records}
 * per transaction, the checkpoint written with each batch. Each invocation restores the whole sequence into a fresh
 * store. Score is records per second (goal >= 1M/s).
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
@Warmup(iterations = 2)
@Measurement(iterations = 5)
public class RestoreBenchmark {
    static final int RECORDS = 1_000_000;

    @Param({"10000", "100000", "1000000"})
    public int batchRecords;

    @Param({"NO_SYNC", "FSYNC"})
    public String sync;

    private ChangelogRecord[] records;
    private Path root;
    private KeyValueStore<Long, byte[]> store;
    private int run;

    @Setup(Level.Trial)
    public void generate() {
        SplittableRandom random = new SplittableRandom(11);
        long[] keys = new long[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            keys[i] = i;
        }
        for (int i = RECORDS - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            long tmp = keys[i];
            keys[i] = keys[j];
            keys[j] = tmp;
        }
        records = new ChangelogRecord[RECORDS];
        for (int i = 0; i < RECORDS; i++) {
            byte[] key =
                    ByteBuffer.allocate(8).putLong(BenchData.rawKey(keys[i])).array();
            records[i] = new ChangelogRecord(i, key, BenchData.value(random));
        }
        root = BenchData.tempDir("weir-bench-restore");
    }

    @Setup(Level.Invocation)
    public void freshStore() {
        StoreConfig config = BenchData.config()
                .withRestoreBatchRecords(batchRecords)
                .withSyncMode(io.weir.state.SyncMode.valueOf(sync));
        store = BenchData.openWeir(root.resolve("s" + run++), config);
    }

    @TearDown(Level.Invocation)
    public void dropStore() {
        store.close();
        BenchData.delete(root.resolve("s" + (run - 1)));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        BenchData.delete(root);
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public long restore() {
        return store.restore(Arrays.asList(records).iterator(), RECORDS, RestoreListener.NONE)
                .restored();
    }
}
