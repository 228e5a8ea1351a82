package io.weir.common.record;

import static io.weir.common.record.RecordBatch.HEADER_SIZE;
import static io.weir.common.record.RecordBatch.NO_PRODUCER_ID;
import static io.weir.common.record.RecordBatch.NO_SEQUENCE;
import static io.weir.common.record.RecordBatch.NO_TIMESTAMP;

import io.weir.common.errors.WeirException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.zip.CRC32C;

/**
 * Builds one complete v2 record batch (see {@link RecordBatch} for the layout).
 *
 * <p><b>Hot path.</b> Producers call {@link #append} for every record, so it allocates nothing: each record is
 * sized exactly first (varint sizes are computed, header keys measured in UTF-8 without encoding them), the
 * growable heap buffer is grown once if needed, and fields are written straight into it. Without compression
 * the records go directly after a reserved 61-byte header in the buffer that {@link #build()} returns, so a
 * finished batch costs no copy. With compression they go to a scratch buffer that {@code build()} compresses
 * after the header.
 *
 * <p><b>Invariants.</b> Record i has offset delta i; timestamps are stored as deltas from the first record's
 * timestamp (negative deltas are legal). After {@code build()} the builder is sealed: {@code append} throws,
 * {@code hasRoomFor} answers false, and {@code build()} returns the same bytes again.
 *
 * <p><b>Threading.</b> Not thread-safe; one builder belongs to one thread at a time (the producer's
 * accumulator hands it over under its own lock).
 */
public final class RecordBatchBuilder {

    private static final int DEFAULT_INITIAL_CAPACITY = 1024;
    /** Worst case for the fields a caller's size check cannot know yet: a timestamp delta's varlong. */
    private static final int MAX_VARLONG_SIZE = 10;

    private final CompressionType compression;
    private final boolean control;
    private long producerId;
    private short producerEpoch;
    private int baseSequence;
    private boolean transactional;

    /** NONE: header space then records, so build() only fills in the header. Compressed: records only. */
    private ByteBuffer buffer;

    private final int recordsStart;
    private int count;
    private long firstTimestamp = NO_TIMESTAMP;
    private long maxTimestamp = NO_TIMESTAMP;
    private ByteBuffer built;

    /**
     * @param producerId {@link RecordBatch#NO_PRODUCER_ID} for a producer without idempotence
     * @param producerEpoch ignored by readers when there is no producer id; -1 by convention
     * @param baseSequence sequence of the first record, {@link RecordBatch#NO_SEQUENCE} without idempotence
     * @param transactional marks the batch as part of a transaction, which requires a producer id
     * @throws IllegalArgumentException if the producer fields are inconsistent (see {@link #setProducerState})
     */
    public RecordBatchBuilder(
            CompressionType compression,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional) {
        this(compression, producerId, producerEpoch, baseSequence, transactional, DEFAULT_INITIAL_CAPACITY);
    }

    /**
     * As {@link #RecordBatchBuilder(CompressionType, long, short, int, boolean)}, with the initial size of the
     * buffer: pass the expected batch size (e.g. {@code batch.size}) to avoid regrowing.
     */
    public RecordBatchBuilder(
            CompressionType compression,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional,
            int initialCapacity) {
        this(compression, false, ByteBuffer.allocate(Math.max(checkCapacity(initialCapacity), HEADER_SIZE + 64)));
        setProducerState(producerId, producerEpoch, baseSequence, transactional);
    }

    /**
     * As {@link #RecordBatchBuilder(CompressionType, long, short, int, boolean)}, writing into {@code buffer}, a
     * heap buffer the caller owns (a producer's pooled batch buffer, perhaps a slice of a larger array), from index
     * 0 to its capacity: without compression the built batch is a view of it from index 0, so no byte is copied. Records that outgrow it move to a larger buffer of the
     * builder's own; the caller then gets a batch that is not in {@code buffer}, and may reuse {@code buffer}
     * once it has stopped using the builder's result.
     *
     * @throws IllegalArgumentException if {@code buffer} is not a heap buffer, or smaller than a batch header
     */
    public RecordBatchBuilder(
            ByteBuffer buffer,
            CompressionType compression,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional) {
        this(compression, false, checkBuffer(buffer));
        setProducerState(producerId, producerEpoch, baseSequence, transactional);
    }

    private RecordBatchBuilder(CompressionType compression, boolean control, ByteBuffer buffer) {
        if (compression == null) {
            throw new IllegalArgumentException("compression must not be null; use CompressionType.NONE");
        }
        this.compression = compression;
        this.control = control;
        this.recordsStart = compression == CompressionType.NONE ? HEADER_SIZE : 0;
        this.buffer = buffer;
        buffer.clear().position(recordsStart);
    }

    private static int checkCapacity(int initialCapacity) {
        if (initialCapacity < 0) {
            throw new IllegalArgumentException("initial capacity " + initialCapacity + " is negative");
        }
        return initialCapacity;
    }

    private static ByteBuffer checkBuffer(ByteBuffer buffer) {
        if (!buffer.hasArray() || buffer.capacity() < HEADER_SIZE) {
            throw new IllegalArgumentException(
                    "a record batch builder needs a heap buffer of at least " + HEADER_SIZE + " bytes, got " + buffer);
        }
        return buffer;
    }

    /**
     * Sets the producer fields written into the header; a producer may learn its sequence only when the
     * batch is drained, so this may be called any time before {@link #build()}.
     *
     * @throws IllegalArgumentException if the producer id is below -1; if a producer id is set but the epoch
     *         or base sequence is negative (a transactional batch may have base sequence -1: the records a
     *         coordinator writes into a producer's transaction, as Kafka's group coordinator writes transactional
     *         offsets, are outside the producer's sequence); or if the batch is transactional without a producer id
     * @throws IllegalStateException after {@link #build()}
     */
    public void setProducerState(long producerId, short producerEpoch, int baseSequence, boolean transactional) {
        checkNotBuilt();
        if (producerId < NO_PRODUCER_ID) {
            throw new IllegalArgumentException("producer id " + producerId + " is invalid; use -1 for none");
        }
        if (producerId != NO_PRODUCER_ID) {
            if (producerEpoch < 0) {
                throw new IllegalArgumentException(
                        "producer id " + producerId + " needs an epoch >= 0, got " + producerEpoch);
            }
            if (baseSequence < 0 && !control && !(transactional && baseSequence == NO_SEQUENCE)) {
                throw new IllegalArgumentException(
                        "producer id " + producerId + " needs a base sequence >= 0, got " + baseSequence);
            }
        }
        if (transactional && producerId == NO_PRODUCER_ID) {
            throw new IllegalArgumentException("a transactional batch needs a producer id, got " + producerId);
        }
        this.producerId = producerId;
        this.producerEpoch = producerEpoch;
        this.baseSequence = baseSequence;
        this.transactional = transactional;
    }

    /**
     * Appends a record with the next offset delta.
     *
     * @param timestamp creation time in ms, or {@link RecordBatch#NO_TIMESTAMP}
     * @param key null for no key
     * @param value null for no value (a tombstone)
     * @param headers null or empty for none; no element may be null
     * @throws IllegalArgumentException for a negative timestamp other than -1, or a batch that would exceed 2 GiB
     * @throws IllegalStateException after {@link #build()}
     */
    public void append(long timestamp, byte[] key, byte[] value, Header[] headers) {
        checkNotBuilt();
        if (timestamp < 0 && timestamp != NO_TIMESTAMP) {
            throw new IllegalArgumentException("invalid negative timestamp " + timestamp + "; use -1 for none");
        }
        if (count == 0) {
            firstTimestamp = timestamp;
        }
        long timestampDelta = timestamp - firstTimestamp;
        int offsetDelta = count;
        long bodySize = 1
                + ByteUtils.sizeOfVarlong(timestampDelta)
                + ByteUtils.sizeOfVarint(offsetDelta)
                + fieldSize(key)
                + fieldSize(value)
                + headersSize(headers);
        if (bodySize + 5 > Integer.MAX_VALUE - buffer.position()) {
            throw new IllegalArgumentException("record of " + bodySize + " bytes would take the batch past 2 GiB");
        }
        int body = (int) bodySize;
        ensureRemaining(ByteUtils.sizeOfVarint(body) + body);

        ByteBuffer b = buffer;
        ByteUtils.writeVarint(body, b);
        b.put((byte) 0); // record attributes: unused in v2
        ByteUtils.writeVarlong(timestampDelta, b);
        ByteUtils.writeVarint(offsetDelta, b);
        writeField(key, b);
        writeField(value, b);
        if (headers == null) {
            b.put((byte) 0); // varint 0
        } else {
            ByteUtils.writeVarint(headers.length, b);
            for (Header h : headers) {
                ByteUtils.writeVarint(ByteUtils.utf8Length(h.key()), b);
                ByteUtils.writeUtf8(h.key(), b);
                writeField(h.value(), b);
            }
        }
        count++;
        if (timestamp > maxTimestamp) {
            maxTimestamp = timestamp;
        }
    }

    private static int fieldSize(byte[] field) {
        return field == null ? 1 : ByteUtils.sizeOfVarint(field.length) + field.length;
    }

    private static long headersSize(Header[] headers) {
        if (headers == null) {
            return 1;
        }
        long size = ByteUtils.sizeOfVarint(headers.length);
        for (Header h : headers) {
            int keyLength = ByteUtils.utf8Length(h.key());
            size += ByteUtils.sizeOfVarint(keyLength) + keyLength + fieldSize(h.value());
        }
        return size;
    }

    private static void writeField(byte[] field, ByteBuffer b) {
        if (field == null) {
            b.put((byte) 1); // zig-zag varint of -1
        } else {
            ByteUtils.writeVarint(field.length, b);
            b.put(field);
        }
    }

    private void ensureRemaining(int needed) {
        if (buffer.remaining() >= needed) {
            return;
        }
        int position = buffer.position();
        long grown = Math.max((long) buffer.capacity() * 2, (long) position + needed);
        ByteBuffer bigger = ByteBuffer.allocate((int) Math.min(grown, Integer.MAX_VALUE - 8));
        bigger.put(buffer.duplicate().flip());
        buffer = bigger;
    }

    public int recordCount() {
        return count;
    }

    public CompressionType compression() {
        return compression;
    }

    /**
     * The size of the batch if built now without compression: header plus records. An upper bound for the
     * compressed size in all but pathological cases, which is what a {@code batch.size} limit needs.
     */
    public int estimatedSizeInBytes() {
        return HEADER_SIZE + buffer.position() - recordsStart;
    }

    /**
     * Whether appending this record keeps {@link #estimatedSizeInBytes()} within {@code batchSizeLimit}. An
     * empty builder always has room, so a record larger than the limit still gets a batch of its own.
     * Answers false once the batch is built.
     */
    public boolean hasRoomFor(int batchSizeLimit, byte[] key, byte[] value, Header[] headers) {
        if (built != null) {
            return false;
        }
        if (count == 0) {
            return true;
        }
        long body = 1
                + MAX_VARLONG_SIZE
                + ByteUtils.sizeOfVarint(count)
                + fieldSize(key)
                + fieldSize(value)
                + headersSize(headers);
        long recordSize = ByteUtils.sizeOfVarint((int) Math.min(body, Integer.MAX_VALUE)) + body;
        return estimatedSizeInBytes() + recordSize <= batchSizeLimit;
    }

    /**
     * Finishes the batch: heap buffer, position 0, limit = batch size, base offset 0, partition leader epoch 0,
     * CRC32C over attributes to the end. Calling it again returns a new view of the same bytes.
     *
     * @throws IllegalStateException if no record was appended (a v2 batch holds at least one)
     */
    public ByteBuffer build() {
        if (built != null) {
            return built.duplicate();
        }
        if (count == 0) {
            throw new IllegalStateException("cannot build a record batch with no records");
        }
        ByteBuffer out;
        if (compression == CompressionType.NONE) {
            out = buffer.duplicate().flip().slice();
        } else {
            ByteBuffer records = buffer.duplicate().flip();
            StreamBuffers.Output compressed =
                    new StreamBuffers.Output(HEADER_SIZE + records.remaining() / 2 + 64, HEADER_SIZE);
            try {
                compression.codec().compress(records, compressed);
            } catch (IOException e) {
                throw new WeirException(
                        "failed to " + compression.configName() + "-compress a batch of " + count + " records ("
                                + records.remaining() + " bytes)",
                        e);
            }
            out = compressed.toBuffer().slice();
        }
        writeHeader(out);
        buffer = null; // the builder is sealed; don't pin the scratch buffer
        built = out;
        return out.duplicate();
    }

    private void writeHeader(ByteBuffer out) {
        int size = out.limit();
        short attributes = (short) (compression.id()
                | (transactional ? RecordBatch.TRANSACTIONAL_FLAG_MASK : 0)
                | (control ? RecordBatch.CONTROL_FLAG_MASK : 0));
        out.putLong(RecordBatch.BASE_OFFSET_OFFSET, 0L);
        out.putInt(RecordBatch.LENGTH_OFFSET, size - RecordBatch.LOG_OVERHEAD);
        out.putInt(RecordBatch.PARTITION_LEADER_EPOCH_OFFSET, 0);
        out.put(RecordBatch.MAGIC_OFFSET, RecordBatch.MAGIC);
        out.putShort(RecordBatch.ATTRIBUTES_OFFSET, attributes);
        out.putInt(RecordBatch.LAST_OFFSET_DELTA_OFFSET, count - 1);
        out.putLong(RecordBatch.BASE_TIMESTAMP_OFFSET, firstTimestamp);
        out.putLong(RecordBatch.MAX_TIMESTAMP_OFFSET, maxTimestamp);
        out.putLong(RecordBatch.PRODUCER_ID_OFFSET, producerId);
        out.putShort(RecordBatch.PRODUCER_EPOCH_OFFSET, producerEpoch);
        out.putInt(RecordBatch.BASE_SEQUENCE_OFFSET, baseSequence);
        out.putInt(RecordBatch.RECORD_COUNT_OFFSET, count);
        CRC32C crc = new CRC32C();
        crc.update(out.array(), out.arrayOffset() + RecordBatch.CRC_START, size - RecordBatch.CRC_START);
        out.putInt(RecordBatch.CRC_OFFSET, (int) crc.getValue());
    }

    /**
     * A transaction marker: one control record with key {@code (version 0, type)} and value
     * {@code (version 0, coordinatorEpoch)}, in a batch with the transactional and control bits set and no
     * base sequence (markers are not part of the producer's sequence).
     *
     * @throws IllegalArgumentException if {@code producerId} is not a real producer id or the epoch is negative
     */
    public static ByteBuffer controlBatch(
            ControlRecordType type, long producerId, short producerEpoch, long timestamp, int coordinatorEpoch) {
        if (type == null) {
            throw new IllegalArgumentException("control record type must not be null");
        }
        RecordBatchBuilder builder = new RecordBatchBuilder(CompressionType.NONE, true, ByteBuffer.allocate(128));
        builder.setProducerState(producerId, producerEpoch, NO_SEQUENCE, true);
        byte[] key = ByteBuffer.allocate(ControlRecordType.KEY_SIZE)
                .putShort(ControlRecordType.CURRENT_KEY_VERSION)
                .putShort(type.id())
                .array();
        byte[] value = ByteBuffer.allocate(ControlRecordType.VALUE_SIZE)
                .putShort(ControlRecordType.CURRENT_VALUE_VERSION)
                .putInt(coordinatorEpoch)
                .array();
        builder.append(timestamp, key, value, null);
        return builder.build();
    }

    private void checkNotBuilt() {
        if (built != null) {
            throw new IllegalStateException("record batch already built with " + count + " records");
        }
    }
}
