package io.weir.broker.network.internals;

import io.weir.common.TopicPartition;
import io.weir.common.protocol.FetchRequest;
import io.weir.common.protocol.FetchResponse;
import io.weir.common.record.FileBatches;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * The read path the listener needs and {@code BrokerApi} lacks: a fetch whose batches may be left in the segment
 * files, so the listener sends them to the socket from the page cache ({@code sendfile}) instead of through the heap.
 * A broker whose {@code BrokerApi} also implements this is read through it by the listener.
 *
 * <p>Same semantics as {@code BrokerApi.fetch} (long poll, limits, read_committed, aborted transactions); only where
 * the bytes lie differs. The future completes on a broker thread.
 */
public interface FileFetch {
    CompletableFuture<Fetched> fetchToFile(FetchRequest request);

    /**
     * The broker's answer; a partition in {@code onDisk} has empty {@code records} in {@code response}, and its
     * batches are the file slice instead.
     */
    record Fetched(FetchResponse response, Map<TopicPartition, FileBatches> onDisk) {}
}
