package io.weir.transactions.internals;

import io.weir.transactions.BatchMetadata;
import io.weir.transactions.ProducerStateEntry;
import io.weir.transactions.ProducerStateManager;
import io.weir.transactions.errors.CorruptSnapshotException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.zip.CRC32C;

/**
 * The producer-state snapshot codec: the layout is documented on {@link ProducerStateManager}. Decoding
 * trusts nothing: lengths, CRC, version, counts and the consistency of every entry are checked before a
 * state is built, and each failure is a {@link CorruptSnapshotException} saying what was wrong.
 *
 * <p>Stateless and thread-safe.
 */
record ProducerStateSnapshot(long snapshotOffset, Map<Long, ProducerStateEntry> producers) {

    static final short VERSION = 1;
    static final int HEADER_SIZE = 2 + 4 + 4;
    private static final int BODY_PREFIX_SIZE = 8 + 4;
    private static final int ENTRY_FIXED_SIZE = 8 + 2 + 8 + 8 + 4 + 1;
    private static final int BATCH_SIZE = 4 + 4 + 8 + 8 + 8;
    private static final long NO_TXN = -1L;

    static final ProducerStateSnapshot EMPTY = new ProducerStateSnapshot(0L, Map.of());

    ProducerStateSnapshot {
        producers = Map.copyOf(producers);
    }

    static byte[] encode(long snapshotOffset, Collection<ProducerStateEntry> entries) {
        int bodySize = BODY_PREFIX_SIZE;
        for (ProducerStateEntry entry : entries) {
            bodySize += ENTRY_FIXED_SIZE + entry.batches().size() * BATCH_SIZE;
        }
        ByteBuffer buffer = ByteBuffer.allocate(HEADER_SIZE + bodySize);
        buffer.putShort(VERSION).putInt(bodySize).putInt(0);
        buffer.putLong(snapshotOffset).putInt(entries.size());
        for (ProducerStateEntry entry : entries) {
            buffer.putLong(entry.producerId())
                    .putShort(entry.epoch())
                    .putLong(entry.lastTimestamp())
                    .putLong(entry.currentTxnFirstOffset().orElse(NO_TXN))
                    .putInt(entry.coordinatorEpoch())
                    .put((byte) entry.batches().size());
            for (BatchMetadata batch : entry.batches()) {
                buffer.putInt(batch.firstSeq())
                        .putInt(batch.lastSeq())
                        .putLong(batch.firstOffset())
                        .putLong(batch.lastOffset())
                        .putLong(batch.maxTimestamp());
            }
        }
        byte[] bytes = buffer.array();
        buffer.putInt(6, crc(bytes, bodySize));
        return bytes;
    }

    /** @throws CorruptSnapshotException naming the first thing found wrong */
    static ProducerStateSnapshot decode(byte[] bytes) {
        if (bytes.length < HEADER_SIZE) {
            throw new CorruptSnapshotException("producer-state snapshot truncated: " + bytes.length
                    + " bytes, shorter than the " + HEADER_SIZE + "-byte header");
        }
        ByteBuffer buffer = ByteBuffer.wrap(bytes);
        short version = buffer.getShort();
        if (version != VERSION) {
            throw new CorruptSnapshotException(
                    "producer-state snapshot has version " + version + ", only version " + VERSION + " is known");
        }
        int bodyLength = buffer.getInt();
        int storedCrc = buffer.getInt();
        int actualBody = bytes.length - HEADER_SIZE;
        if (bodyLength < 0 || bodyLength > actualBody) {
            throw new CorruptSnapshotException("producer-state snapshot truncated: header announces a " + bodyLength
                    + "-byte body, " + actualBody + " bytes follow the header");
        }
        if (bodyLength < actualBody) {
            throw new CorruptSnapshotException("producer-state snapshot has " + (actualBody - bodyLength)
                    + " bytes after its " + bodyLength + "-byte body");
        }
        int computedCrc = crc(bytes, bodyLength);
        if (computedCrc != storedCrc) {
            throw new CorruptSnapshotException(String.format(
                    "producer-state snapshot fails its CRC32C: stored %08x, computed %08x", storedCrc, computedCrc));
        }
        // Past the CRC the bytes are what some writer wrote; the checks below catch a writer's bug, not rot.
        return decodeBody(buffer);
    }

    private static ProducerStateSnapshot decodeBody(ByteBuffer body) {
        require(body, BODY_PREFIX_SIZE, "the snapshot offset and producer count");
        long snapshotOffset = body.getLong();
        int count = body.getInt();
        if (snapshotOffset < 0 || count < 0) {
            throw new CorruptSnapshotException(
                    "producer-state snapshot has snapshot offset " + snapshotOffset + " and producer count " + count);
        }
        Map<Long, ProducerStateEntry> producers = new HashMap<>();
        Map<Long, Long> transactionStarts = new HashMap<>();
        for (int i = 0; i < count; i++) {
            ProducerStateEntry entry = decodeEntry(body, i, snapshotOffset);
            if (producers.put(entry.producerId(), entry) != null) {
                throw new CorruptSnapshotException(
                        "producer-state snapshot lists producer " + entry.producerId() + " twice");
            }
            // One batch starts one transaction: two producers cannot have opened theirs at the same offset.
            if (entry.hasOpenTransaction()) {
                Long other = transactionStarts.put(entry.currentTxnFirstOffset().getAsLong(), entry.producerId());
                if (other != null) {
                    throw new CorruptSnapshotException("producer-state snapshot: producers " + other + " and "
                            + entry.producerId() + " both have a transaction starting at offset "
                            + entry.currentTxnFirstOffset().getAsLong());
                }
            }
        }
        if (body.hasRemaining()) {
            throw new CorruptSnapshotException(
                    "producer-state snapshot has " + body.remaining() + " bytes after its " + count + " producers");
        }
        return new ProducerStateSnapshot(snapshotOffset, producers);
    }

    private static ProducerStateEntry decodeEntry(ByteBuffer body, int index, long snapshotOffset) {
        require(body, ENTRY_FIXED_SIZE, "producer #" + index);
        long producerId = body.getLong();
        short epoch = body.getShort();
        long lastTimestamp = body.getLong();
        long txnFirstOffset = body.getLong();
        int coordinatorEpoch = body.getInt();
        int batchCount = body.get();
        if (batchCount < 0 || batchCount > ProducerStateManager.RETAINED_BATCHES) {
            throw new CorruptSnapshotException("producer-state snapshot: producer " + producerId + " has " + batchCount
                    + " batches, at most " + ProducerStateManager.RETAINED_BATCHES + " allowed");
        }
        require(body, batchCount * BATCH_SIZE, "the batches of producer " + producerId);
        List<BatchMetadata> batches = new ArrayList<>(batchCount);
        try {
            for (int b = 0; b < batchCount; b++) {
                BatchMetadata batch =
                        new BatchMetadata(body.getInt(), body.getInt(), body.getLong(), body.getLong(), body.getLong());
                if (batch.lastOffset() >= snapshotOffset) {
                    throw new CorruptSnapshotException("producer-state snapshot: producer " + producerId
                            + " has a batch ending at offset " + batch.lastOffset()
                            + ", not below the snapshot offset " + snapshotOffset);
                }
                batches.add(batch);
            }
            if (txnFirstOffset < NO_TXN || txnFirstOffset >= snapshotOffset) {
                throw new CorruptSnapshotException("producer-state snapshot: producer " + producerId
                        + " has transaction first offset " + txnFirstOffset
                        + " with snapshot offset " + snapshotOffset);
            }
            OptionalLong txn = txnFirstOffset == NO_TXN ? OptionalLong.empty() : OptionalLong.of(txnFirstOffset);
            return new ProducerStateEntry(producerId, epoch, batches, lastTimestamp, txn, coordinatorEpoch);
        } catch (IllegalArgumentException e) {
            throw new CorruptSnapshotException(
                    "producer-state snapshot: producer #" + index + " (id " + producerId + ") is invalid: "
                            + e.getMessage(),
                    e);
        }
    }

    private static void require(ByteBuffer body, int bytes, String what) {
        if (body.remaining() < bytes) {
            throw new CorruptSnapshotException("producer-state snapshot body ends inside " + what + ": needs " + bytes
                    + " bytes, " + body.remaining() + " left");
        }
    }

    private static int crc(byte[] bytes, int bodyLength) {
        CRC32C crc = new CRC32C();
        crc.update(bytes, HEADER_SIZE, bodyLength);
        return (int) crc.getValue();
    }
}
