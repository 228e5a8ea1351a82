package io.weir.tools;

import io.weir.common.record.CloseableIterator;
import io.weir.common.record.Header;
import io.weir.common.record.Record;
import io.weir.common.record.RecordBatch;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code weir dump-log}: Kafka's {@code kafka-dump-log.sh}, for debugging a data directory. Reads segment files
 * directly (no broker involved, so it works on the files a crash left): each batch of a {@code .log} with its
 * offsets, producer id, epoch and sequences, transactional and control flags, position, size and whether its CRC
 * holds; with {@code --print-data-log} each record, and the marker of each control batch. Also the entries of
 * {@code .index} and {@code .timeindex} files. Bytes at the end of a log that do not form a whole batch are
 * reported, as Kafka's tool reports them. The exit code is 1 when a batch failed its CRC or a log ends in a
 * partial batch, so scripts can check a directory.
 */
@Command(
        name = "dump-log",
        mixinStandardHelpOptions = true,
        description = "Print the batches, records and index entries of segment files (kafka-dump-log.sh).")
final class DumpLogCommand implements Callable<Integer> {
    private static final int LENGTH_OFFSET = RecordBatch.LENGTH_OFFSET;

    private final Io io;

    @Option(names = "--files", required = true, split = ",", paramLabel = "FILE", description = "Segment files.")
    List<Path> files;

    @Option(names = "--print-data-log", description = "Print each record's offset, timestamp, key and value.")
    boolean printDataLog;

    @Option(
            names = "--deep-iteration",
            description = "Iterate the records of every batch (implied by --print-data-log).")
    boolean deepIteration;

    @Mixin
    OutputOptions output;

    private boolean corrupt;

    DumpLogCommand(Io io) {
        this.io = io;
    }

    @Override
    public Integer call() throws Exception {
        List<Object> json = new ArrayList<>();
        for (Path file : files) {
            if (!Files.isRegularFile(file)) {
                throw new CommandFailedException("No such file: " + file);
            }
            String name = file.getFileName().toString();
            if (!output.json()) {
                io.out().println("Dumping " + file);
            }
            if (name.endsWith(".log")) {
                json.add(dumpLog(file));
            } else if (name.endsWith(".index")) {
                json.add(dumpIndex(file, 8, "offset"));
            } else if (name.endsWith(".timeindex")) {
                json.add(dumpIndex(file, 12, "timestamp"));
            } else {
                throw new CommandFailedException(
                        "Cannot dump " + file + ": only .log, .index and .timeindex files are understood");
            }
        }
        if (output.json()) {
            Table.printJson(io.out(), json);
        }
        io.out().flush();
        return corrupt ? WeirCommand.FAILED : 0;
    }

    private Map<String, Object> dumpLog(Path file) throws IOException {
        List<Object> batches = new ArrayList<>();
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file.toString());
        result.put("batches", batches);
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
            long size = channel.size();
            if (size > Integer.MAX_VALUE) {
                throw new CommandFailedException(file + " is over 2 GiB, more than a segment can be");
            }
            ByteBuffer bytes =
                    channel.map(FileChannel.MapMode.READ_ONLY, 0, size).order(ByteOrder.BIG_ENDIAN);
            int position = 0;
            try (Progress progress = new Progress(io, "Reading " + file.getFileName(), size)) {
                while (position < size) {
                    progress.update(position);
                    int remaining = (int) size - position;
                    int length = remaining >= RecordBatch.LOG_OVERHEAD ? bytes.getInt(position + LENGTH_OFFSET) : -1;
                    int batchSize = RecordBatch.LOG_OVERHEAD + length;
                    if (length < RecordBatch.HEADER_SIZE - RecordBatch.LOG_OVERHEAD || batchSize > remaining) {
                        corrupt = true;
                        result.put("invalidBytes", remaining);
                        result.put("invalidBytesPosition", position);
                        if (!output.json()) {
                            io.out()
                                    .println(
                                            "Found " + remaining + " invalid bytes at position " + position
                                                    + " (a partial batch: what a crash mid-write leaves, and what log recovery cuts)");
                        }
                        break;
                    }
                    RecordBatch batch = RecordBatch.wrap(
                            bytes.duplicate().position(position).limit(position + batchSize));
                    batches.add(dumpBatch(batch, position));
                    position += batchSize;
                }
            }
        }
        return result;
    }

    private Map<String, Object> dumpBatch(RecordBatch batch, int position) {
        boolean valid = batch.isValid();
        corrupt |= !valid;
        Map<String, Object> b = new LinkedHashMap<>();
        b.put("baseOffset", batch.baseOffset());
        b.put("lastOffset", batch.lastOffset());
        b.put("count", batch.recordCount());
        b.put("baseSequence", batch.baseSequence());
        b.put("lastSequence", batch.lastSequence());
        b.put("producerId", batch.producerId());
        b.put("producerEpoch", batch.producerEpoch());
        b.put("partitionLeaderEpoch", batch.partitionLeaderEpoch());
        b.put("isTransactional", batch.isTransactional());
        b.put("isControl", batch.isControl());
        b.put("position", position);
        b.put(batch.isLogAppendTime() ? "LogAppendTime" : "CreateTime", batch.maxTimestamp());
        b.put("size", batch.sizeInBytes());
        b.put("magic", batch.magic());
        b.put("compresscodec", batch.compression().toString().toLowerCase(java.util.Locale.ROOT));
        b.put("crc", Integer.toUnsignedLong(batch.storedCrc()));
        b.put("isvalid", valid);
        if (!output.json()) {
            io.out().println(line(b));
        }
        if (valid && (printDataLog || deepIteration || batch.isControl())) {
            List<Object> records = new ArrayList<>();
            try (CloseableIterator<Record> it = batch.records()) {
                while (it.hasNext()) {
                    records.add(dumpRecord(batch, it.next()));
                }
            } catch (RuntimeException e) {
                corrupt = true;
                b.put("recordsError", e.getMessage());
                if (!output.json()) {
                    io.out().println("| cannot read the records: " + e.getMessage());
                }
            }
            if (printDataLog || deepIteration) {
                b.put("records", records);
            }
        }
        return b;
    }

    private Map<String, Object> dumpRecord(RecordBatch batch, Record record) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("offset", record.offset());
        r.put(batch.isLogAppendTime() ? "LogAppendTime" : "CreateTime", record.timestamp());
        r.put("keySize", record.keySize());
        r.put("valueSize", record.valueSize());
        r.put(
                "sequence",
                batch.baseSequence() < 0
                        ? -1
                        : RecordBatch.incrementSequence(
                                batch.baseSequence(), (int) (record.offset() - batch.baseOffset())));
        List<String> headerKeys = new ArrayList<>();
        for (Header header : record.headers()) {
            headerKeys.add(header.key());
        }
        r.put("headerKeys", headerKeys);
        if (batch.isControl()) {
            r.put("endTxnMarker", batch.controlType().toString());
            r.put("coordinatorEpoch", batch.coordinatorEpoch());
        } else if (printDataLog) {
            r.put("key", record.key() == null ? null : utf8(record.keyBytes()));
            r.put("payload", record.value() == null ? null : utf8(record.valueBytes()));
        }
        if (!output.json() && (printDataLog || deepIteration || batch.isControl())) {
            io.out().println("| " + line(r));
        }
        return r;
    }

    /** The entries of an offset or time index; a preallocated file's zero tail is not printed. */
    private Map<String, Object> dumpIndex(Path file, int entrySize, String what) throws IOException {
        String stem = file.getFileName().toString();
        long baseOffset;
        try {
            baseOffset = Long.parseLong(stem.substring(0, stem.indexOf('.')));
        } catch (NumberFormatException e) {
            throw new CommandFailedException(file + " is not named <base offset>.index like a segment's index");
        }
        List<Object> entries = new ArrayList<>();
        byte[] content = Files.readAllBytes(file);
        ByteBuffer bytes = ByteBuffer.wrap(content);
        for (int at = 0; at + entrySize <= content.length; at += entrySize) {
            Map<String, Object> entry = new LinkedHashMap<>();
            if (entrySize == 8) {
                int relative = bytes.getInt(at);
                int position = bytes.getInt(at + 4);
                if (at > 0 && relative == 0 && position == 0) {
                    break;
                }
                entry.put("offset", baseOffset + relative);
                entry.put("position", position);
            } else {
                long timestamp = bytes.getLong(at);
                int relative = bytes.getInt(at + 8);
                if (timestamp == 0 && relative == 0) {
                    break;
                }
                entry.put("timestamp", timestamp);
                entry.put("offset", baseOffset + relative);
            }
            entries.add(entry);
            if (!output.json()) {
                io.out().println(line(entry));
            }
        }
        Map<String, Object> result = new LinkedHashMap<>();
        result.put("file", file.toString());
        result.put("index", what);
        result.put("entries", entries);
        return result;
    }

    private static String line(Map<String, Object> fields) {
        StringBuilder line = new StringBuilder();
        fields.forEach((k, v) -> line.append(line.length() == 0 ? "" : " ")
                .append(k)
                .append(": ")
                .append(v));
        return line.toString();
    }

    private static String utf8(byte[] bytes) {
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
