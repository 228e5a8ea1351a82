package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator makes group records durable: the group's partition of the offsets topic.
 *
 * <p>Records appended for one group are applied in the order of the {@code append} calls, because the
 * coordinator calls {@code append} while it holds the group and a partition has a single writer.
 */
public interface GroupStore {

    /** Runs once a batch is appended, with the log offset of its first record (record i is at {@code firstOffset + i}). */
    @FunctionalInterface
    interface Applied {
        void appendedAt(long firstOffset);
    }

    /** The partition of the offsets topic that holds {@code groupId}'s records. */
    TopicPartition partitionFor(String groupId);

    /**
     * Appends {@code records} of {@code groupId} as one batch. Once the batch is appended (and synced, per the
     * flush policy) {@code applied} runs, in log order with every other append to the same partition and
     * before the returned future completes; it must be short and must not take a group lock. The future fails
     * when the append does, in which case {@code applied} never runs.
     */
    CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Applied applied);

    /**
     * {@link #append} as part of the transaction of {@code producerId} at {@code producerEpoch}: a transactional
     * batch (base sequence -1, as Kafka's group coordinator writes it) whose records take effect only when the
     * transaction's COMMIT marker reaches the same partition.
     */
    CompletableFuture<Void> appendTransactional(
            String groupId, List<GroupRecord> records, long producerId, short producerEpoch, Applied applied);
}
