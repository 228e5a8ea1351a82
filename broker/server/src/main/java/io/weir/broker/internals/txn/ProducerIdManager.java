package io.weir.broker.internals.txn;

import io.weir.broker.internals.log.LogDirContext;
import io.weir.broker.internals.log.LogDirFailureException;
import io.weir.broker.internals.log.LogFiles;
import io.weir.common.errors.KafkaStorageException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32C;

/**
 * Hands out producer ids, each at most once over the life of the data directory, crashes included.
 *
 * <p>Ids come in blocks of {@value #BLOCK_SIZE}, as Kafka's controller hands them to brokers. Before the
 * first id of a block is returned, the end of that block is written to {@code producer-id-block} and synced
 * (temp file, fsync, rename, directory fsync): after a crash the manager starts at the recorded end, so ids
 * handed out before the crash are never handed out again. A crash wastes at most the rest of one block.
 *
 * <p>File layout, big-endian: {@code int16 version (0), int64 nextBlockStart, int32 CRC32C of the first 10
 * bytes}. A file that fails the check stops the broker from opening rather than risk reusing ids.
 *
 * <p>The file lives in the data directory and follows its storage-failure rule: it is written through the
 * directory's {@code FileChannelFactory}, a failed write or sync takes the directory offline, and once it is
 * offline no new block is reserved.
 *
 * <p>Thread-safe: {@link #generate()} is synchronized on the manager; it does I/O once per block.
 */
public final class ProducerIdManager {
    static final int BLOCK_SIZE = 1000;
    static final String FILE_NAME = "producer-id-block";
    private static final short VERSION = 0;
    private static final int FILE_SIZE = 14;

    private final Path file;
    private final LogDirContext context;
    /** Guarded by {@code this}. */
    private long next;
    /** The first id past the current block, which is durable on disk. Guarded by {@code this}. */
    private long blockEnd;

    private ProducerIdManager(Path file, LogDirContext context, long persistedEnd) {
        this.file = file;
        this.context = context;
        this.next = persistedEnd;
        this.blockEnd = persistedEnd;
    }

    /**
     * Opens the manager of {@code dataDir}, which writes its file through {@code context}, the directory's.
     *
     * @throws KafkaStorageException if the file cannot be read or is corrupt; the message names it
     */
    public static ProducerIdManager open(Path dataDir, LogDirContext context) {
        Path file = dataDir.resolve(FILE_NAME);
        try {
            if (!Files.exists(file)) {
                return new ProducerIdManager(file, context, 0L);
            }
            byte[] bytes = Files.readAllBytes(file);
            return new ProducerIdManager(file, context, decode(bytes, file));
        } catch (IOException e) {
            throw new KafkaStorageException("Could not read " + file + ": " + e, e);
        }
    }

    private static long decode(byte[] bytes, Path file) {
        if (bytes.length != FILE_SIZE) {
            throw new KafkaStorageException(file + " holds " + bytes.length + " bytes, expected " + FILE_SIZE
                    + "; it is corrupt. Producer ids cannot be handed out safely: restore the file or remove it"
                    + " together with every log that holds idempotent batches");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        long nextBlockStart = buffer.getLong();
        int crc = buffer.getInt();
        CRC32C check = new CRC32C();
        check.update(bytes, 0, FILE_SIZE - 4);
        if ((int) check.getValue() != crc || version != VERSION || nextBlockStart < 0) {
            throw new KafkaStorageException(file + " fails its check (version " + version + ", next block "
                    + nextBlockStart + "); it is corrupt. Producer ids cannot be handed out safely: restore the file"
                    + " or remove it together with every log that holds idempotent batches");
        }
        return nextBlockStart;
    }

    private static byte[] encode(long nextBlockStart) {
        ByteBuffer buffer = ByteBuffer.allocate(FILE_SIZE);
        buffer.putShort(VERSION).putLong(nextBlockStart);
        CRC32C crc = new CRC32C();
        crc.update(buffer.array(), 0, FILE_SIZE - 4);
        buffer.putInt((int) crc.getValue());
        return buffer.array();
    }

    /**
     * A producer id never handed out before.
     *
     * @throws LogDirFailureException if the next block is due and the data directory is offline, or the block
     *                                could not be made durable (which takes the directory offline); no id is
     *                                handed out then
     */
    public synchronized long generate() {
        if (next == blockEnd) {
            long newEnd = blockEnd + BLOCK_SIZE;
            String operation = "Reservation of producer ids " + blockEnd + ".." + (newEnd - 1) + " in " + file;
            context.failures().ensureOnline(operation);
            try {
                LogFiles.writeAtomically(context.channels(), file, encode(newEnd));
            } catch (IOException e) {
                throw context.failures().fail(operation, file, e);
            }
            blockEnd = newEnd;
        }
        return next++;
    }
}
