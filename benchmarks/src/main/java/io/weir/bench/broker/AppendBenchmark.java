package io.weir.bench.broker;

import io.weir.broker.AppendWaitStrategy;
import io.weir.broker.FlushPolicy;
import io.weir.broker.LogConfig;
import io.weir.broker.internals.log.AppendOrigin;
import io.weir.broker.internals.log.Log;
import io.weir.broker.internals.log.Shutdown;
import io.weir.broker.internals.write.AppendRings;
import io.weir.common.TopicPartition;
import io.weir.common.config.TopicConfig;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import io.weir.common.utils.Time;
import io.weir.transactions.ProducerStateConfig;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;

/**
 * The append path of one partition with batches of 100 records of 100 bytes, reported per record:
 * <ul>
 *   <li>{@code logAppend} — validate, stamp offsets and write to the segment (the storage cost alone);</li>
 *   <li>{@code ringAppend} — the same batch through the Disruptor ring and its append thread, waiting for
 *       the acknowledgement (hand-off, group commit, high watermark and callback included);</li>
 *   <li>{@code buildBatch} — the baseline in the same run: building and checksumming the batch the other two
 *       write, so the ratio says what storage costs relative to producing the bytes.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar AppendBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class AppendBenchmark {
    static final int RECORDS = 100;
    static final int VALUE_BYTES = 100;

    @Param({"os"})
    public String flush;

    private Path dir;
    private Log log;
    private AppendRings rings;
    private ByteBuffer batch;
    private byte[][] values;

    @Setup(Level.Iteration)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("weir-append-bench-");
        LogConfig config = LogConfig.withOverrides(
                LogConfig.DEFAULTS, Map.of(TopicConfig.SEGMENT_BYTES_CONFIG, Integer.toString(256 << 20)));
        log = Log.open(
                dir, new TopicPartition("bench", 0), config, ProducerStateConfig.DEFAULT, Time.SYSTEM, Shutdown.CLEAN);
        FlushPolicy policy = "every-batch".equals(flush) ? FlushPolicy.EVERY_BATCH : FlushPolicy.OS;
        rings = new AppendRings(1, 1024, AppendWaitStrategy.BLOCKING, policy, tp -> {}, Time.SYSTEM);
        Random random = new Random(42);
        values = new byte[RECORDS][VALUE_BYTES];
        for (byte[] v : values) {
            random.nextBytes(v);
        }
        batch = build();
    }

    private ByteBuffer build() {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        long now = System.currentTimeMillis();
        for (byte[] value : values) {
            builder.append(now, null, value, new Header[0]);
        }
        return builder.build();
    }

    @TearDown(Level.Iteration)
    public void tearDown() throws IOException {
        rings.close();
        log.close();
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object buildBatch() {
        return build();
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object logAppend() {
        Object info = log.append(batch.duplicate(), AppendOrigin.CLIENT);
        log.advanceHighWatermark();
        return info;
    }

    @Benchmark
    @OperationsPerInvocation(RECORDS)
    public Object ringAppend() throws Exception {
        CompletableFuture<Object> done = new CompletableFuture<>();
        rings.append(log, batch.duplicate(), (info, error) -> done.complete(info), 10_000);
        return done.get();
    }
}
