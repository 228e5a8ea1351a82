package io.weir.streams.kstream.internals;

import io.weir.common.serialization.Serde;
import io.weir.streams.errors.StreamsException;
import io.weir.streams.kstream.Windowed;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import io.weir.streams.processor.internals.StreamTask;
import io.weir.streams.state.KeyValueStore;

/**
 * Holds a table's updates back, as Kafka Streams' {@code KTableSuppressProcessor}: each update goes into the
 * {@link SuppressionBuffer} (the key's newest value replaces the one buffered), then every key whose buffer time is at
 * most stream time minus the wait leaves, oldest first, and is forwarded with the timestamp and headers of its newest
 * update. Buffer time is the window's end for final results ({@code untilWindowCloses}: the wait is the upstream
 * windows' close delay, and a final tombstone is not forwarded) and the update's timestamp for a time limit. When
 * the buffer holds more keys or bytes than its bounds, an eager buffer emits its oldest keys until it fits, a strict
 * one fails the task with a {@link StreamsException}, which stops the stream thread.
 *
 * <p>Stream time is the newest timestamp of the updates this processor saw, as in Kafka; unlike Kafka's, it survives
 * a restart: the buffer recovers it from its store. A key leaves as {@code Change(newest value, prior value)}: the
 * value the key had before its first buffered update, which is what downstream last saw of it. Used by the task's
 * thread only.
 */
final class KTableSuppressProcessor<K, V> implements Processor<K, Change<V>, K, Change<V>> {
    private final String name;
    private final String storeName;
    private final SuppressedInternal<?> suppress;
    private final long waitMs;
    private final Serde<K> givenKeySerde;
    private final Serde<V> givenValueSerde;
    private final WindowedOrigin windowed;
    private ProcessorContext<K, Change<V>> context;
    private SuppressionBuffer buffer;
    private Serde<K> keySerde;
    private Serde<V> valueSerde;
    private String serdeTopic;
    private long streamTime;

    KTableSuppressProcessor(
            String name,
            String storeName,
            SuppressedInternal<?> suppress,
            long waitMs,
            Serde<K> keySerde,
            Serde<V> valueSerde,
            WindowedOrigin windowed) {
        this.name = name;
        this.storeName = storeName;
        this.suppress = suppress;
        this.waitMs = waitMs;
        this.givenKeySerde = keySerde;
        this.givenValueSerde = valueSerde;
        this.windowed = windowed;
    }

    @Override
    @SuppressWarnings("unchecked")
    public void init(ProcessorContext<K, Change<V>> context) {
        this.context = context;
        KeyValueStore<byte[], byte[]> store = context.getStateStore(storeName);
        this.buffer = new SuppressionBuffer(store);
        this.streamTime = buffer.recoveredStreamTime();
        this.serdeTopic = StreamTask.changelogTopic(context.applicationId(), storeName);
        this.keySerde = givenKeySerde != null
                ? givenKeySerde
                : windowed != null ? windowed.keySerde(context.keySerde()) : (Serde<K>) context.keySerde();
        this.valueSerde = givenValueSerde != null ? givenValueSerde : (Serde<V>) context.valueSerde();
    }

    @Override
    public void process(Record<K, Change<V>> record) {
        streamTime = Math.max(streamTime, record.timestamp());
        long time =
                suppress.finalResults() ? ((Windowed<?>) record.key()).window().end() : record.timestamp();
        buffer.put(
                keySerde.serializer().serialize(serdeTopic, record.key()),
                time,
                record.timestamp(),
                record.headers(),
                serialize(record.value().oldValue()),
                serialize(record.value().newValue()),
                streamTime);
        enforceConstraints();
    }

    private void enforceConstraints() {
        long expiryTime = streamTime - waitMs; // no overflow: stream time is at least -1 and the wait not negative
        boolean evicted = false;
        for (SuppressionBuffer.Entry e = buffer.oldest(); e != null && e.time() <= expiryTime; e = buffer.oldest()) {
            emit(e);
            evicted = true;
        }
        if (overCapacity()) {
            BufferConfigInternal<?> config = suppress.bufferConfig();
            if (config.fullStrategy() == BufferConfigInternal.FullStrategy.SHUT_DOWN) {
                throw new StreamsException(String.format(
                        "%s buffer exceeded its max capacity. Currently [%d/%d] records and [%d/%d] bytes.",
                        name, buffer.numRecords(), config.maxRecords, buffer.bytes(), config.maxBytes));
            }
            while (overCapacity()) {
                emit(buffer.oldest());
                evicted = true;
            }
        }
        if (evicted) {
            buffer.recordEvictionTime(streamTime);
        }
    }

    private boolean overCapacity() {
        BufferConfigInternal<?> config = suppress.bufferConfig();
        return buffer.numRecords() > config.maxRecords || buffer.bytes() > config.maxBytes;
    }

    private void emit(SuppressionBuffer.Entry entry) {
        buffer.evict(entry);
        if (entry.newValue() == null && suppress.finalResults()) {
            return;
        }
        K key = keySerde.deserializer().deserialize(serdeTopic, entry.key());
        V newValue = deserialize(entry.newValue());
        V priorValue = deserialize(entry.priorValue());
        context.forward(
                new Record<>(key, new Change<>(newValue, priorValue), entry.recordTimestamp(), entry.headers()));
    }

    private byte[] serialize(V value) {
        return value == null ? null : valueSerde.serializer().serialize(serdeTopic, value);
    }

    private V deserialize(byte[] bytes) {
        return bytes == null ? null : valueSerde.deserializer().deserialize(serdeTopic, bytes);
    }
}
