package io.weir.streams;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.weir.common.serialization.Serdes;
import io.weir.streams.kstream.Produced;
import io.weir.streams.processor.StreamPartitioner;
import io.weir.streams.processor.api.Processor;
import io.weir.streams.processor.api.ProcessorContext;
import io.weir.streams.processor.api.Record;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * {@code Produced.withStreamPartitioner}: a sink's partitioner picks the partition each record is written to, given
 * the key, the value and the topic's partition count, as in Kafka Streams. Checked through a topic the topology
 * reads back, whose records reach the task of the partition they were written to.
 */
class ProducedPartitionerTest {
    private static final int PARTITIONS = 4;

    /** Where each record of "mid" was read: "key=value@partition". */
    private static List<String> readBack(StreamPartitioner<String, String> partitioner, List<String[]> input) {
        StreamsBuilder builder = new StreamsBuilder();
        builder.<String, String>stream("in")
                .to("mid", Produced.with(Serdes.String(), Serdes.String()).withStreamPartitioner(partitioner));
        List<String> seen = new ArrayList<>();
        builder.<String, String>stream("mid").process(() -> new Processor<String, String, Void, Void>() {
            private ProcessorContext<Void, Void> context;

            @Override
            public void init(ProcessorContext<Void, Void> context) {
                this.context = context;
            }

            @Override
            public void process(Record<String, String> record) {
                seen.add(record.key() + "=" + record.value() + "@"
                        + context.recordMetadata().orElseThrow().partition());
            }
        });
        Properties props = new Properties();
        props.put(StreamsConfig.DEFAULT_KEY_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(StreamsConfig.DEFAULT_VALUE_SERDE_CLASS_CONFIG, Serdes.StringSerde.class);
        props.put(TopologyTestDriver.PARTITIONS_CONFIG, Integer.toString(PARTITIONS));
        try (TopologyTestDriver driver = new TopologyTestDriver(builder.build(), props)) {
            var in = driver.createInputTopic(
                    "in", Serdes.String().serializer(), Serdes.String().serializer());
            for (String[] kv : input) {
                in.pipeInput(kv[0], kv[1]);
            }
        }
        return seen;
    }

    @Test
    void thePartitionerChoosesThePartitionFromTheKeyTheValueAndTheCount() {
        List<String> counts = new ArrayList<>();
        StreamPartitioner<String, String> byValue = (topic, key, value, numPartitions) -> {
            counts.add(topic + "/" + numPartitions);
            return Integer.parseInt(value) % numPartitions;
        };
        List<String> seen =
                readBack(byValue, List.of(new String[] {"a", "3"}, new String[] {"a", "6"}, new String[] {"b", "4"}));
        assertEquals(List.of("a=3@3", "a=6@2", "b=4@0"), seen);
        assertEquals(List.of("mid/4", "mid/4", "mid/4"), counts);
    }

    @Test
    void aNullChoiceIsTheDefaultPartitionersAndAChoiceOutOfRangeFailsNamingTheSink() {
        List<String> byDefault = readBack((topic, key, value, n) -> null, List.<String[]>of(new String[] {"k", "1"}));
        assertEquals(1, byDefault.size(), "a null choice still writes the record");
        RuntimeException e = assertThrows(
                RuntimeException.class,
                () -> readBack((topic, key, value, n) -> n, List.<String[]>of(new String[] {"k", "1"})));
        String messages = "";
        for (Throwable t = e; t != null; t = t.getCause()) {
            messages += t.getMessage() + " | ";
        }
        assertTrue(messages.contains("chose partition 4 of topic mid, which has 4 partitions"), messages);
    }
}
