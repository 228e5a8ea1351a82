package io.weir.streams.processor.internals;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.weir.clients.consumer.ConsumerRecord;
import io.weir.clients.consumer.OffsetAndMetadata;
import io.weir.common.TopicPartition;
import io.weir.streams.StreamsConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;

class TaskInputsTest {
    private static final TopicPartition LEFT = new TopicPartition("left", 0);
    private static final TopicPartition RIGHT = new TopicPartition("right", 0);

    /** The lags the consumer reports; a partition absent here has no known lag. */
    private final Map<TopicPartition, Long> lags = new HashMap<>();

    private TaskInputs inputs(long maxTaskIdleMs) {
        TaskInputs inputs = new TaskInputs(maxTaskIdleMs, tp -> {
            Long lag = lags.get(tp);
            return lag == null ? OptionalLong.empty() : OptionalLong.of(lag);
        });
        inputs.addPartition(LEFT);
        inputs.addPartition(RIGHT);
        return inputs;
    }

    private static ConsumerRecord<byte[], byte[]> record(TopicPartition tp, long offset, long timestamp) {
        return new ConsumerRecord<>(
                tp.topic(),
                tp.partition(),
                offset,
                timestamp,
                ConsumerRecord.TimestampType.CREATE_TIME,
                -1,
                -1,
                null,
                null,
                List.of());
    }

    @Test
    void takesTheSmallestTimestampFirstAcrossPartitions() {
        TaskInputs inputs = inputs(0);
        inputs.add(LEFT, record(LEFT, 0, 10));
        inputs.add(LEFT, record(LEFT, 1, 30));
        inputs.add(RIGHT, record(RIGHT, 0, 20));
        lags.put(LEFT, 0L);
        lags.put(RIGHT, 0L);

        assertEquals(10, inputs.next(0).timestamp());
        assertEquals(20, inputs.next(0).timestamp());
        assertEquals(30, inputs.next(0).timestamp());
        assertNull(inputs.next(0));
    }

    @Test
    void waitsForAnEmptyPartitionWhoseRecordsAreOnTheBroker() {
        TaskInputs inputs = inputs(0);
        inputs.add(LEFT, record(LEFT, 0, 50));
        lags.put(RIGHT, 3L);

        assertNull(inputs.next(1_000), "right has 3 records not yet fetched");

        inputs.add(RIGHT, record(RIGHT, 0, 40)); // they arrive, and come first in time
        lags.put(RIGHT, 0L);
        assertEquals("right", inputs.next(1_000).topic());
        assertEquals("left", inputs.next(1_000).topic());
    }

    @Test
    void waitsForAnEmptyPartitionNeverFetched() {
        TaskInputs inputs = inputs(0);
        inputs.add(LEFT, record(LEFT, 0, 50));

        assertNull(inputs.next(0), "right's lag is unknown");
    }

    @Test
    void goesOnAtOnceWithoutACaughtUpPartitionByDefault() {
        TaskInputs inputs = inputs(0);
        inputs.add(LEFT, record(LEFT, 0, 50));
        lags.put(RIGHT, 0L);

        assertEquals(0, inputs.next(0).offset());
    }

    @Test
    void idlesForMaxTaskIdleMsOnACaughtUpPartitionThenGoesOn() {
        TaskInputs inputs = inputs(200);
        inputs.add(LEFT, record(LEFT, 0, 50));
        inputs.add(LEFT, record(LEFT, 1, 60));
        lags.put(RIGHT, 0L);

        assertNull(inputs.next(1_000), "the deadline starts now: 1,200");
        assertNull(inputs.next(1_199));
        assertEquals(0, inputs.next(1_200).offset());
        assertEquals(1, inputs.next(1_300).offset(), "the deadline stays passed while right stays empty");
    }

    @Test
    void aPartitionThatReceivedRecordsStartsANewIdleDeadlineWhenEmptyAgain() {
        TaskInputs inputs = inputs(200);
        inputs.add(LEFT, record(LEFT, 0, 50));
        lags.put(RIGHT, 0L);
        assertNull(inputs.next(1_000));

        inputs.add(RIGHT, record(RIGHT, 0, 10));
        assertEquals("right", inputs.next(1_100).topic());
        inputs.add(LEFT, record(LEFT, 1, 70));

        assertNull(inputs.next(1_100), "right is empty again: a fresh deadline at 1,300");
        assertNull(inputs.next(1_299));
        assertEquals(0, inputs.next(1_300).offset());
    }

    @Test
    void aPartitionFallingBehindWhileIdlingIsWaitedForAgain() {
        TaskInputs inputs = inputs(200);
        inputs.add(LEFT, record(LEFT, 0, 50));
        lags.put(RIGHT, 0L);
        assertNull(inputs.next(1_000));

        lags.put(RIGHT, 1L); // a record was written to right
        assertNull(inputs.next(1_500));
        lags.put(RIGHT, 0L); // its fetch came back empty after all (e.g. a transaction marker)
        assertNull(inputs.next(1_500), "the old deadline was dropped: a fresh one at 1,700");
        assertEquals(0, inputs.next(1_700).offset());
    }

    @Test
    void disabledIdlingTakesWhateverIsBuffered() {
        TaskInputs inputs = inputs(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        inputs.add(LEFT, record(LEFT, 0, 50));
        lags.put(RIGHT, 1_000L);

        assertEquals(0, inputs.next(0).offset());
    }

    @Test
    void aSinglePartitionTaskNeverWaits() {
        TaskInputs inputs = new TaskInputs(1_000, tp -> OptionalLong.empty());
        inputs.addPartition(LEFT);
        inputs.add(LEFT, record(LEFT, 0, 50));

        assertEquals(0, inputs.next(0).offset());
    }

    @Test
    void offsetsToCommitAreOnePastTheLastRecordTaken() {
        TaskInputs inputs = inputs(StreamsConfig.MAX_TASK_IDLE_MS_DISABLED);
        inputs.add(LEFT, record(LEFT, 7, 50));
        inputs.add(RIGHT, record(RIGHT, 3, 60));
        inputs.next(0);

        assertEquals(Map.of(LEFT, new OffsetAndMetadata(8)), inputs.offsetsToCommit());
        inputs.markCommitted();
        inputs.next(0);
        assertEquals(Map.of(LEFT, new OffsetAndMetadata(8), RIGHT, new OffsetAndMetadata(4)), inputs.offsetsToCommit());
    }
}
