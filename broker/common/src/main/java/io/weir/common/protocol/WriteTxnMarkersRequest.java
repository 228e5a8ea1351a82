package io.weir.common.protocol;

import io.weir.common.TopicPartition;
import java.util.List;

/**
 * Writes transaction markers (control batches) directly to partitions. The transaction coordinator does
 * this itself when a transaction ends; through the API it is the administrator's tool to abort a hanging
 * transaction, one the coordinator does not know about.
 */
public record WriteTxnMarkersRequest(List<TxnMarker> markers) {
    public WriteTxnMarkersRequest {
        markers = List.copyOf(markers);
    }

    /** @param coordinatorEpoch the writing coordinator's epoch; an admin abort passes the partition's current one */
    public record TxnMarker(
            long producerId,
            short producerEpoch,
            boolean committed,
            int coordinatorEpoch,
            List<TopicPartition> partitions) {
        public TxnMarker {
            partitions = List.copyOf(partitions);
        }
    }
}
