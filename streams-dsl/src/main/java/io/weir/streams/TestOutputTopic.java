package io.weir.streams;

import io.weir.common.serialization.Deserializer;
import io.weir.streams.test.TestRecord;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Reads what a {@link TopologyTestDriver}'s topology wrote to one topic, in the order it was written (across
 * partitions), as Kafka's {@code TestOutputTopic}. Reading consumes: each record is read once, by whichever
 * output topic of that name reads it first. Not thread-safe.
 */
public final class TestOutputTopic<K, V> {
    private final TopologyTestDriver driver;
    private final String topic;
    private final Deserializer<K> keyDeserializer;
    private final Deserializer<V> valueDeserializer;

    TestOutputTopic(
            TopologyTestDriver driver,
            String topic,
            Deserializer<K> keyDeserializer,
            Deserializer<V> valueDeserializer) {
        this.driver = driver;
        this.topic = Objects.requireNonNull(topic, "topic");
        this.keyDeserializer = Objects.requireNonNull(keyDeserializer, "keyDeserializer");
        this.valueDeserializer = Objects.requireNonNull(valueDeserializer, "valueDeserializer");
    }

    /**
     * The next record.
     *
     * @throws NoSuchElementException if none is left
     */
    public TestRecord<K, V> readRecord() {
        TopologyTestDriver.Produced p = driver.readOutput(topic);
        if (p == null) {
            throw new NoSuchElementException("Empty topic: " + topic);
        }
        return new TestRecord<>(
                keyDeserializer.deserialize(topic, p.key()),
                valueDeserializer.deserialize(topic, p.value()),
                p.headers(),
                Instant.ofEpochMilli(p.timestamp()));
    }

    public V readValue() {
        return readRecord().value();
    }

    public KeyValue<K, V> readKeyValue() {
        TestRecord<K, V> r = readRecord();
        return new KeyValue<>(r.key(), r.value());
    }

    public List<TestRecord<K, V>> readRecordsToList() {
        List<TestRecord<K, V>> out = new ArrayList<>();
        while (!isEmpty()) {
            out.add(readRecord());
        }
        return out;
    }

    public List<V> readValuesToList() {
        return readRecordsToList().stream().map(TestRecord::value).toList();
    }

    public List<KeyValue<K, V>> readKeyValuesToList() {
        return readRecordsToList().stream()
                .map(r -> new KeyValue<>(r.key(), r.value()))
                .toList();
    }

    /**
     * The last value of each key, in the order keys first appeared; as in Kafka's driver, a tombstone leaves its key
     * mapped to null.
     */
    public Map<K, V> readKeyValuesToMap() {
        Map<K, V> out = new LinkedHashMap<>();
        for (TestRecord<K, V> r : readRecordsToList()) {
            if (r.key() == null) {
                throw new IllegalStateException(
                        "Topic " + topic + " holds a record with a null key, which a map cannot hold");
            }
            out.put(r.key(), r.value());
        }
        return out;
    }

    /** How many records are left to read. */
    public long getQueueSize() {
        return driver.outputSize(topic);
    }

    public boolean isEmpty() {
        return getQueueSize() == 0;
    }

    @Override
    public String toString() {
        return "TestOutputTopic[topic=" + topic + ", size=" + getQueueSize() + "]";
    }
}
