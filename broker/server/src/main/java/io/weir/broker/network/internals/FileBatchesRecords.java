package io.weir.broker.network.internals;

import io.weir.common.record.FileBatches;
import org.apache.kafka.common.record.BaseRecords;
import org.apache.kafka.common.record.RecordsSend;

/**
 * A Fetch answer's records left in a segment file: kafka-clients' generated {@code FetchResponseData} sizes it and
 * hands it to {@link ResponseEncoder}'s {@code Writable}, which sends it as a {@link SegmentFileRegion} instead of
 * bytes. Immutable.
 */
final class FileBatchesRecords implements BaseRecords {
    private final FileBatches batches;

    FileBatchesRecords(FileBatches batches) {
        this.batches = batches;
    }

    FileBatches batches() {
        return batches;
    }

    @Override
    public int sizeInBytes() {
        return batches.size();
    }

    /** Never called: the listener writes answers through {@link ResponseEncoder}, not Kafka's {@code Send}s. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("segment batches are sent by the listener's ResponseEncoder");
    }
}
