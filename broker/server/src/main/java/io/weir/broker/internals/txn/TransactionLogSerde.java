package io.weir.broker.internals.txn;

import io.weir.common.TopicPartition;
import io.weir.common.errors.CorruptRecordException;
import io.weir.transactions.coordinator.TransactionLog;
import io.weir.transactions.coordinator.TransactionMetadata;
import io.weir.transactions.coordinator.TransactionState;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Key and value bytes of {@code __transaction_state} records, in the layouts Kafka's transaction coordinator
 * writes (TransactionLogKey and TransactionLogValue, version 0), so the topic reads the same to Kafka tools:
 *
 * <pre>
 * key   (version 0): int16 version, string transactionalId
 * value (version 0): int16 version, int64 producerId, int16 producerEpoch, int32 transactionTimeoutMs,
 *                    int8 status (the state's id), nullable array of partitions (int32 count, -1 for null;
 *                    each: string topic, int32 count, int32 partition...), int64 lastUpdateTimestampMs,
 *                    int64 startTimestampMs
 * </pre>
 *
 * Strings are an int16 length and UTF-8 bytes. As Kafka does, Empty writes a null partition array and the
 * other states an array grouped by topic (sorted here, so the bytes are repeatable). A tombstone (null value)
 * forgets the id. Version 0 holds no last producer id or epoch; a reload starts them at -1. Stateless.
 */
final class TransactionLogSerde {
    static final short KEY_VERSION = 0;
    static final short VALUE_VERSION = 0;

    private TransactionLogSerde() {}

    static byte[] key(String transactionalId) {
        byte[] id = utf8(transactionalId);
        return ByteBuffer.allocate(2 + 2 + id.length)
                .putShort(KEY_VERSION)
                .put(string(id))
                .array();
    }

    /** The value bytes of {@code m}. Dead is never written as a value: use a tombstone. */
    static byte[] value(TransactionMetadata m) {
        if (m.state() == TransactionState.DEAD) {
            throw new IllegalArgumentException(
                    "Transactional id " + m.transactionalId() + " is Dead: write a tombstone, not a value");
        }
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (TopicPartition p : m.partitions()) { // sorted by topic, then partition
            byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition());
        }
        int size = 2 + 8 + 2 + 4 + 1 + 4 + 8 + 8;
        List<byte[]> topics = new ArrayList<>();
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            byte[] topic = utf8(e.getKey());
            topics.add(topic);
            size += 2 + topic.length + 4 + 4 * e.getValue().size();
        }
        ByteBuffer b = ByteBuffer.allocate(size);
        b.putShort(VALUE_VERSION);
        b.putLong(m.producerId());
        b.putShort(m.producerEpoch());
        b.putInt(m.timeoutMs());
        b.put(m.state().id());
        if (m.state() == TransactionState.EMPTY) {
            b.putInt(-1);
        } else {
            b.putInt(byTopic.size());
            int i = 0;
            for (List<Integer> partitions : byTopic.values()) {
                b.put(string(topics.get(i++)));
                b.putInt(partitions.size());
                partitions.forEach(b::putInt);
            }
        }
        b.putLong(m.lastUpdateTimestamp());
        b.putLong(m.txnStartTimestamp());
        return b.array();
    }

    /**
     * Decodes one record of {@code partition} of the transaction log.
     *
     * @throws CorruptRecordException naming the partition and offset when the bytes are not a record this
     *         coordinator writes: unknown versions or status, truncation, trailing bytes, negative lengths, or
     *         a state the coordinator cannot hold
     */
    static TransactionLog.Record read(ByteBuffer key, ByteBuffer value, TopicPartition partition, long offset) {
        String where = "Transaction log record at offset " + offset + " of " + partition;
        if (key == null) {
            throw new CorruptRecordException(where + " has no key");
        }
        String transactionalId = null;
        try {
            ByteBuffer k = key.duplicate();
            short keyVersion = k.getShort();
            if (keyVersion != KEY_VERSION) {
                throw new IllegalArgumentException("key version " + keyVersion + " is not " + KEY_VERSION);
            }
            transactionalId = requiredString(k, "transactional id");
            requireEnd(k, "key");
            if (value == null) {
                return new TransactionLog.Record(transactionalId, null);
            }
            return new TransactionLog.Record(transactionalId, metadata(transactionalId, value.duplicate()));
        } catch (BufferUnderflowException | IllegalArgumentException e) {
            throw new CorruptRecordException(
                    where + (transactionalId == null ? "" : " (transactional id " + transactionalId + ")")
                            + " is truncated or malformed: " + (e.getMessage() == null ? e.toString() : e.getMessage()),
                    e);
        }
    }

    private static TransactionMetadata metadata(String transactionalId, ByteBuffer v) {
        short version = v.getShort();
        if (version != VALUE_VERSION) {
            throw new IllegalArgumentException("value version " + version + " is not " + VALUE_VERSION);
        }
        long producerId = v.getLong();
        short epoch = v.getShort();
        int timeoutMs = v.getInt();
        TransactionState state = TransactionState.fromId(v.get());
        if (state == TransactionState.DEAD || state == TransactionState.PREPARE_EPOCH_FENCE) {
            throw new IllegalArgumentException("status " + state.displayName() + " is never written as a value");
        }
        int topics = v.getInt();
        if (topics < -1) {
            throw new IllegalArgumentException("partition array length " + topics);
        }
        Set<TopicPartition> partitions = new HashSet<>();
        for (int t = 0; t < topics; t++) {
            String topic = requiredString(v, "topic");
            int count = v.getInt();
            if (count < 0 || count > v.remaining() / 4) {
                throw new IllegalArgumentException(
                        "topic " + topic + " lists " + count + " partitions in " + v.remaining() + " bytes");
            }
            for (int i = 0; i < count; i++) {
                partitions.add(new TopicPartition(topic, v.getInt()));
            }
        }
        long lastUpdate = v.getLong();
        long start = v.getLong();
        requireEnd(v, "value");
        // As Kafka: Empty holds no partitions, whatever the array says.
        Set<TopicPartition> held = state == TransactionState.EMPTY ? Set.of() : partitions;
        return new TransactionMetadata(
                transactionalId, producerId, -1L, epoch, (short) -1, timeoutMs, state, held, start, lastUpdate);
    }

    private static void requireEnd(ByteBuffer b, String part) {
        if (b.hasRemaining()) {
            throw new IllegalArgumentException(b.remaining() + " unread bytes after the " + part);
        }
    }

    private static byte[] utf8(String s) {
        byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
        if (bytes.length > Short.MAX_VALUE) {
            throw new IllegalArgumentException(
                    "String of " + bytes.length + " bytes is longer than " + Short.MAX_VALUE);
        }
        return bytes;
    }

    private static byte[] string(byte[] utf8) {
        return ByteBuffer.allocate(2 + utf8.length)
                .putShort((short) utf8.length)
                .put(utf8)
                .array();
    }

    private static String requiredString(ByteBuffer b, String field) {
        short length = b.getShort();
        if (length < 0) {
            throw new IllegalArgumentException(field + " has length " + length + " where the layout requires a string");
        }
        byte[] bytes = new byte[length];
        b.get(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }
}
