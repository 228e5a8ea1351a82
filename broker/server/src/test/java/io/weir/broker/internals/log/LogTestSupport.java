package io.weir.broker.internals.log;

import io.weir.common.record.CompressionType;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import io.weir.common.record.RecordBatchBuilder;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/** Builders and readers shared by the log tests. */
final class LogTestSupport {
    private LogTestSupport() {}

    static ByteBuffer batch(long timestamp, byte[]... values) {
        RecordBatchBuilder builder = new RecordBatchBuilder(
                CompressionType.NONE,
                RecordBatch.NO_PRODUCER_ID,
                RecordBatch.NO_PRODUCER_EPOCH,
                RecordBatch.NO_SEQUENCE,
                false);
        for (byte[] value : values) {
            builder.append(timestamp, null, value, new io.weir.common.record.Header[0]);
        }
        return builder.build();
    }

    static byte[] value(int size, int seed) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) (seed * 31 + i);
        }
        return bytes;
    }

    /** Every record from {@code from} to the high watermark, reading in chunks of {@code maxBytes}. */
    static List<Record> readAll(Log log, long from, int maxBytes) {
        List<Record> out = new ArrayList<>();
        long next = from;
        while (next < log.highWatermark()) {
            FetchDataInfo info = log.read(next, maxBytes, true);
            ByteBuffer batches = info.batches();
            if (!batches.hasRemaining()) {
                break;
            }
            while (batches.hasRemaining()) {
                RecordBatch batch = RecordBatch.wrap(batches);
                for (Record record : batch) {
                    if (record.offset() >= next) {
                        out.add(record);
                    }
                }
                next = Math.max(next, batch.lastOffset() + 1);
                batches.position(batches.position() + batch.sizeInBytes());
            }
        }
        return out;
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
