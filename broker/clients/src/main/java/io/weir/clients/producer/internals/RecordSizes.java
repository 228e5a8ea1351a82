package io.weir.clients.producer.internals;

import io.weir.common.record.Header;
import java.nio.charset.StandardCharsets;

/**
 * The size a record takes as the only record of an uncompressed v2 batch, computed before the record is
 * buffered so that one which could never be sent is refused with both sizes named. Follows the layout of
 * Kafka's {@code DefaultRecord}: a varint length, attributes, varlong timestamp delta and varint offset delta
 * (both 0 for a lone record), zig-zag varint lengths before key, value and each header part.
 */
public final class RecordSizes {
    /** The fixed v2 batch header: base offset through record count. */
    public static final int BATCH_OVERHEAD = 61;

    private RecordSizes() {}

    public static int singleRecordBatchSize(byte[] key, byte[] value, Header[] headers) {
        long body = 1 /* attributes */
                + 1 /* timestamp delta 0 */
                + 1 /* offset delta 0 */
                + bytesWithLength(key == null ? -1 : key.length)
                + bytesWithLength(value == null ? -1 : value.length)
                + varintSize(headers == null ? 0 : headers.length);
        if (headers != null) {
            for (Header h : headers) {
                body += bytesWithLength(h.key().getBytes(StandardCharsets.UTF_8).length);
                body += bytesWithLength(h.value() == null ? -1 : h.value().length);
            }
        }
        long size = BATCH_OVERHEAD + varintSize((int) Math.min(Integer.MAX_VALUE, body)) + body;
        return (int) Math.min(Integer.MAX_VALUE, size);
    }

    private static long bytesWithLength(int length) {
        return varintSize(length) + Math.max(length, 0);
    }

    /** Bytes of a zig-zag encoded varint. */
    static int varintSize(int value) {
        int v = (value << 1) ^ (value >> 31);
        int bytes = 1;
        while ((v & 0xffffff80) != 0) {
            bytes++;
            v >>>= 7;
        }
        return bytes;
    }
}
