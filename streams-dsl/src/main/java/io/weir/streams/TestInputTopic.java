package io.weir.streams;

import io.weir.common.serialization.Serializer;
import io.weir.streams.test.TestRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * Pipes records into one input topic of a {@link TopologyTestDriver}, as Kafka's {@code TestInputTopic}: each
 * call serializes, appends to the topic's partition (by key, as a producer would) and runs the record through the
 * topology before returning. A record without a timestamp gets the topic's current time, which then moves on by
 * the auto-advance step. Not thread-safe.
 */
public final class TestInputTopic<K, V> {
    private final TopologyTestDriver driver;
    private final String topic;
    private final Serializer<K> keySerializer;
    private final Serializer<V> valueSerializer;
    private final Duration autoAdvance;
    private Instant currentTime;

    TestInputTopic(
            TopologyTestDriver driver,
            String topic,
            Serializer<K> keySerializer,
            Serializer<V> valueSerializer,
            Instant startTime,
            Duration autoAdvance) {
        this.driver = driver;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.keySerializer = Objects.requireNonNull(keySerializer, "keySerializer");
        this.valueSerializer = Objects.requireNonNull(valueSerializer, "valueSerializer");
        this.currentTime = Objects.requireNonNull(startTime, "startTime");
        if (autoAdvance.isNegative()) {
            throw new IllegalArgumentException("Auto-advance " + autoAdvance + " of topic " + topic + " is negative");
        }
        this.autoAdvance = autoAdvance;
    }

    /** Moves the topic's current time on; records piped without a timestamp get it. */
    public void advanceTime(Duration advance) {
        if (advance.isNegative()) {
            throw new IllegalArgumentException("Time of topic " + topic + " cannot move back by " + advance);
        }
        currentTime = currentTime.plus(advance);
    }

    public void pipeInput(TestRecord<K, V> record) {
        Instant time = record.getRecordTime();
        if (time == null) {
            time = currentTime;
            currentTime = currentTime.plus(autoAdvance);
        }
        driver.pipe(
                topic,
                keySerializer.serialize(topic, record.key()),
                valueSerializer.serialize(topic, record.value()),
                record.headers(),
                time.toEpochMilli());
    }

    public void pipeInput(V value) {
        pipeInput(new TestRecord<>(value));
    }

    public void pipeInput(K key, V value) {
        pipeInput(new TestRecord<>(key, value));
    }

    public void pipeInput(V value, Instant timestamp) {
        pipeInput(new TestRecord<>(null, value, timestamp));
    }

    public void pipeInput(K key, V value, Instant timestamp) {
        pipeInput(new TestRecord<>(key, value, timestamp));
    }

    public void pipeInput(K key, V value, long timestampMs) {
        pipeInput(new TestRecord<>(key, value, Instant.ofEpochMilli(timestampMs)));
    }

    public void pipeRecordList(List<? extends TestRecord<K, V>> records) {
        records.forEach(this::pipeInput);
    }

    public void pipeKeyValueList(List<KeyValue<K, V>> keyValues) {
        keyValues.forEach(kv -> pipeInput(kv.key(), kv.value()));
    }

    public void pipeValueList(List<V> values) {
        values.forEach(this::pipeInput);
    }

    @Override
    public String toString() {
        return "TestInputTopic[topic=" + topic + ", currentTime=" + currentTime + "]";
    }
}
