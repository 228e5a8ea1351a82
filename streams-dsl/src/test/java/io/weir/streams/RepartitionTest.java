package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.common.serialization.StringDeserializer;
import io.weir.common.serialization.StringSerializer;
import io.weir.streams.kstream.Repartitioned;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** {@code KStream.repartition}: the topic it writes, its names, and that records meet their key's task. */
class RepartitionTest {
    private static final Instant T0 = Instant.ofEpochMilli(1_000);

    private static Properties props(int partitions) {
        Properties props = new Properties();
        props.put(StreamsConfig.APPLICATION_ID_CONFIG, "rep");
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, String.valueOf(partitions));
        return props;
    }

    /** Records which task (partition) saw each key after the repartition. */
    private static final Map<String, Set<Integer>> SEEN = new HashMap<>();

    private static Topology rekeyed(Repartitioned<String, String> repartitioned) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .selectKey((k, v) -> v)
                .repartition(repartitioned)
                .process(() -> new Processor<String, String, String, String>() {
                    private ProcessorContext<String, String> context;

                    @Override
                    public void init(ProcessorContext<String, String> context) {
                        this.context = context;
                    }

                    @Override
                    public void process(Record<String, String> record) {
                        SEEN.computeIfAbsent(record.key(), k -> new HashSet<>())
                                .add(context.taskId().partition());
                        context.forward(record);
                    }
                })
                .to("out");
        return builder.build();
    }

    @Test
    void aNamedRepartitionWritesItsTopicAndEveryKeyMeetsOneTask() {
        SEEN.clear();
        Topology topology = rekeyed(Repartitioned.as("by-value"));
        assertTrue(
                topology.describe().toString().contains("by-value-repartition"),
                topology.describe().toString());
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(4), T0)) {
            TestInputTopic<String, String> in =
                    driver.createInputTopic("in", new StringSerializer(), new StringSerializer());
            for (int i = 0; i < 100; i++) {
                in.pipeInput("k" + i, "v" + (i % 10));
            }
            assertTrue(driver.producedTopicNames().contains("rep-by-value-repartition"));
            assertEquals(
                    100,
                    driver.createOutputTopic("out", new StringDeserializer(), new StringDeserializer())
                            .readValuesToList()
                            .size());
        }
        assertEquals(10, SEEN.size());
        SEEN.forEach((key, tasks) -> assertEquals(1, tasks.size(), key + " was processed by tasks " + tasks));
    }

    @Test
    void aFixedPartitionCountDecidesTheTasksDownstream() {
        Topology topology = rekeyed(Repartitioned.<String, String>as("two").withNumberOfPartitions(2));
        try (TopologyTestDriver driver = new TopologyTestDriver(topology, props(4), T0)) {
            assertEquals(
                    4, driver.tasks().stream().filter(t -> t.subtopology() == 0).count());
            assertEquals(
                    2, driver.tasks().stream().filter(t -> t.subtopology() == 1).count());
        }
    }

    @Test
    void anUnnamedRepartitionGetsKafkasGeneratedName() {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in").repartition().to("out");
        String description = builder.build().describe().toString();
        assertTrue(description.contains("KSTREAM-REPARTITION-0000000001-repartition"), description);
    }

    @Test
    void aRepartitionNeedsAtLeastOnePartition() {
        assertThrows(IllegalArgumentException.class, () -> Repartitioned.numberOfPartitions(0));
    }
}
