package io.weir.common.record;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.weir.common.errors.CorruptRecordException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.RandomDistribution;
import net.jqwik.api.constraints.IntRange;

/**
 * Properties of the batch format over random batches. Seeds are fixed so the suite is deterministic; jqwik
 * reports the seed and the shrunk sample of any failure.
 */
class RecordBatchProperties {

    /** What a test appends; the expected contents of the batch. */
    record Input(long timestamp, byte[] key, byte[] value, Header[] headers) {}

    record Spec(
            CompressionType compression,
            long producerId,
            short producerEpoch,
            int baseSequence,
            boolean transactional,
            List<Input> records) {

        ByteBuffer build() {
            RecordBatchBuilder b =
                    new RecordBatchBuilder(compression, producerId, producerEpoch, baseSequence, transactional);
            for (Input r : records) {
                b.append(r.timestamp, r.key, r.value, r.headers);
            }
            return b.build();
        }
    }

    @Property(tries = 400, seed = "20240601")
    void everyCompressionRoundTripsExactly(@ForAll("specs") Spec spec, @ForAll long baseOffset) {
        ByteBuffer built = spec.build();
        RecordBatch batch = RecordBatch.wrap(built);
        batch.setBaseOffset(baseOffset);
        batch.ensureValid();

        assertEquals(spec.compression(), batch.compression());
        assertEquals(spec.records().size(), batch.recordCount());
        assertEquals(spec.records().size() - 1, batch.lastOffsetDelta());
        assertEquals(built.remaining(), batch.sizeInBytes());
        assertEquals(spec.producerId(), batch.producerId());
        assertEquals(spec.producerEpoch(), batch.producerEpoch());
        assertEquals(spec.baseSequence(), batch.baseSequence());
        assertEquals(spec.transactional(), batch.isTransactional());
        assertEquals(spec.records().get(0).timestamp(), batch.firstTimestamp());
        assertEquals(spec.records().stream().mapToLong(Input::timestamp).max().orElseThrow(), batch.maxTimestamp());

        try (CloseableIterator<Record> it = batch.records()) {
            for (int i = 0; i < spec.records().size(); i++) {
                Input in = spec.records().get(i);
                Record out = it.next();
                assertEquals(baseOffset + i, out.offset());
                assertEquals(in.timestamp(), out.timestamp());
                assertArrayEquals(in.key(), out.keyBytes());
                assertArrayEquals(in.value(), out.valueBytes());
                Header[] expectedHeaders = in.headers() == null ? new Header[0] : in.headers();
                assertArrayEquals(expectedHeaders, out.headers());
            }
            assertFalse(it.hasNext());
        }
    }

    @Property(tries = 300, seed = "20240602")
    void ensureValidDetectsAnySingleFlippedBitInTheCheckedRegion(
            @ForAll("uncompressedSpecs") Spec spec, @ForAll @IntRange(min = 0, max = 1 << 30) int pick) {
        ByteBuffer built = spec.build();
        // Magic, CRC, and everything the CRC covers; base offset and leader epoch are deliberately unchecked.
        int firstBit = RecordBatch.MAGIC_OFFSET * 8;
        int bit = firstBit + pick % (built.remaining() * 8 - firstBit);
        built.put(bit / 8, (byte) (built.get(bit / 8) ^ (1 << (bit % 8))));
        RecordBatch batch = RecordBatch.wrap(built);
        assertFalse(batch.isValid());
        assertThrows(CorruptRecordException.class, batch::ensureValid);
    }

    @Property(tries = 200, seed = "20240603")
    void validBytesOfATruncatedLogIsTheCompleteBatchesBeforeTheCut(
            @ForAll("logs") List<Spec> specs, @ForAll @IntRange(min = 0, max = 1 << 30) int pick) {
        List<ByteBuffer> batches = new ArrayList<>();
        int total = 0;
        for (Spec s : specs) {
            ByteBuffer b = s.build();
            batches.add(b);
            total += b.remaining();
        }
        ByteBuffer log = ByteBuffer.allocate(total + 3);
        log.position(3); // a non-zero starting position must not matter
        for (ByteBuffer b : batches) {
            log.put(b.duplicate());
        }
        int cut = pick % (total + 1);
        log.position(3).limit(3 + cut);

        int expected = 0;
        int expectedCount = 0;
        for (ByteBuffer b : batches) {
            if (expected + b.remaining() > cut) {
                break;
            }
            expected += b.remaining();
            expectedCount++;
        }
        assertEquals(expected, RecordBatches.validBytes(log));
        assertEquals(3, log.position());
        int count = 0;
        for (RecordBatch ignored : RecordBatches.iterable(log)) {
            count++;
        }
        assertEquals(expectedCount, count, "iterator stops cleanly at the partial batch");
    }

    @Provide
    Arbitrary<Spec> specs() {
        return spec(Arbitraries.of(CompressionType.class), 200);
    }

    @Provide
    Arbitrary<Spec> uncompressedSpecs() {
        return spec(Arbitraries.of(CompressionType.class), 20);
    }

    @Provide
    Arbitrary<List<Spec>> logs() {
        return spec(Arbitraries.of(CompressionType.class), 10)
                .list()
                .ofMinSize(1)
                .ofMaxSize(8);
    }

    private static Arbitrary<Spec> spec(Arbitrary<CompressionType> compression, int maxRecords) {
        Arbitrary<long[]> producer = Arbitraries.oneOf(
                Arbitraries.just(new long[] {
                    RecordBatch.NO_PRODUCER_ID, RecordBatch.NO_PRODUCER_EPOCH, RecordBatch.NO_SEQUENCE, 0
                }),
                Combinators.combine(
                                Arbitraries.longs().between(0, Long.MAX_VALUE),
                                Arbitraries.shorts().between((short) 0, Short.MAX_VALUE),
                                Arbitraries.integers().between(0, Integer.MAX_VALUE),
                                Arbitraries.of(0L, 1L))
                        .as((pid, epoch, seq, txn) -> new long[] {pid, epoch, seq, txn}));
        return Combinators.combine(compression, producer, inputs(maxRecords))
                .as((c, p, records) -> new Spec(c, p[0], (short) p[1], (int) p[2], p[3] == 1, records));
    }

    private static Arbitrary<List<Input>> inputs(int maxRecords) {
        Arbitrary<byte[]> key =
                Arbitraries.bytes().array(byte[].class).ofMaxSize(64).injectNull(0.2);
        Arbitrary<byte[]> value = Arbitraries.oneOf(
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(2048),
                        // Repetitive values, so the codecs' compressed paths (not just stored blocks) are exercised.
                        Arbitraries.strings().withChars("ab").ofMaxLength(2048).map(String::getBytes))
                .injectNull(0.1);
        Arbitrary<Header> header = Combinators.combine(
                        Arbitraries.strings().ofMaxLength(12),
                        Arbitraries.bytes().array(byte[].class).ofMaxSize(16).injectNull(0.3))
                .as(Header::new);
        Arbitrary<Header[]> headers = header.array(Header[].class).ofMaxSize(3).injectNull(0.3);
        Arbitrary<Long> timestamp = Arbitraries.oneOf(
                Arbitraries.longs().between(0, 1L << 42),
                Arbitraries.longs().between(0, Long.MAX_VALUE),
                Arbitraries.just(RecordBatch.NO_TIMESTAMP));
        return Combinators.combine(timestamp, key, value, headers)
                .as(Input::new)
                .list()
                .ofMinSize(1)
                .ofMaxSize(maxRecords)
                // jqwik favours short lists by default; batches of every size up to the max matter here.
                .withSizeDistribution(RandomDistribution.uniform());
    }
}
