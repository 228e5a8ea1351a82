package io.weir.clients.producer.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.TopicPartition;
import io.weir.common.errors.TimeoutException;
import io.weir.common.record.CompressionType;
import io.weir.common.record.Header;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A batch runs its records' callbacks before it completes their futures, as Kafka does: whoever waits on a
 * future ({@code Future.get()}, {@code flush()}) then sees every callback's effect.
 */
class ProducerBatchCallbackOrderTest {
    private static final TopicPartition TP = new TopicPartition("t", 0);

    private final ThunkArrays thunkArrays = new ThunkArrays(1);

    private ProducerBatch batch() {
        return new ProducerBatch(
                TP, CompressionType.NONE, 1 << 14, java.nio.ByteBuffer.allocate(1 << 14), thunkArrays, 0L);
    }

    private static byte[] value(int i) {
        return ("v" + i).getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void callbacksRunBeforeTheFuturesOfAnAcknowledgedBatchComplete() {
        ProducerBatch batch = batch();
        List<String> seen = new ArrayList<>();
        List<FutureRecordMetadata> futures = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            int record = i;
            futures.add(batch.tryAppend(
                    0L,
                    null,
                    value(i),
                    new Header[0],
                    (metadata, exception) -> seen.add(
                            record + "@" + metadata.offset() + (futures.get(0).isDone() ? " after" : " before"))));
        }
        batch.complete(40L, -1L, null);
        assertEquals(List.of("0@40 before", "1@41 before", "2@42 before"), seen);
        assertTrue(futures.stream().allMatch(FutureRecordMetadata::isDone));
    }

    @Test
    void eachCallbackSeesItsOwnRecordsMetadataAndTheSlotsAreRecycledAfterwards() {
        ProducerBatch batch = batch();
        List<String> seen = new ArrayList<>();
        for (int i = 0; i < 40; i++) { // past the slots' first growth
            byte[] key = i % 3 == 0 ? null : new byte[i];
            batch.tryAppend(
                    1000L + i,
                    key,
                    value(i),
                    new Header[0],
                    i % 2 == 0
                            ? null
                            : (m, e) -> seen.add(m.offset() + "/" + m.timestamp() + "/" + m.serializedKeySize() + "/"
                                    + m.serializedValueSize()));
        }
        batch.complete(100L, -1L, null);
        assertEquals(20, seen.size());
        assertEquals("101/1001/1/2", seen.get(0));
        assertEquals("103/1003/-1/2", seen.get(1));
        assertEquals("139/1039/-1/3", seen.get(19)); // 39 is a multiple of 3: no key
        assertEquals("137/1037/37/3", seen.get(18));
        assertEquals(1, thunkArrays.kept(), "the slots went back for the next batch");
        ThunkArrays.Slots reused = thunkArrays.take();
        assertEquals(0, reused.count);
        assertTrue(java.util.Arrays.stream(reused.callbacks).allMatch(java.util.Objects::isNull), "no callback kept");
    }

    @Test
    void callbacksRunBeforeTheFuturesOfAFailedBatchComplete() {
        ProducerBatch batch = batch();
        List<Boolean> doneDuringCallback = new ArrayList<>();
        FutureRecordMetadata[] future = new FutureRecordMetadata[1];
        future[0] = batch.tryAppend(
                0L, null, value(0), new Header[0], (metadata, exception) -> doneDuringCallback.add(future[0].isDone()));
        batch.complete(-1L, -1L, new TimeoutException("expired"));
        assertEquals(List.of(false), doneDuringCallback);
        assertTrue(future[0].isDone());
    }
}
