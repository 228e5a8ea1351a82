package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.List;
import java.util.Map;

/** Per partition, the producers its state holds (Kafka's DescribeProducers). */
public record DescribeProducersResponse(Map<TopicPartition, PartitionProducers> partitions) {
    public DescribeProducersResponse {
        partitions = Map.copyOf(partitions);
    }

    public record PartitionProducers(ApiError error, List<ProducerState> producers) {
        public PartitionProducers {
            producers = List.copyOf(producers);
        }
    }

    /**
     * @param lastSequence          the last sequence of the producer's newest batch, -1 if none
     * @param currentTxnStartOffset first offset of the producer's open transaction, -1 if none
     */
    public record ProducerState(
            long producerId,
            int producerEpoch,
            int lastSequence,
            long lastTimestamp,
            int coordinatorEpoch,
            long currentTxnStartOffset) {}
}
