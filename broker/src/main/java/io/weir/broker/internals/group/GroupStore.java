package io.weir.broker.internals.group;

import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Where the coordinator makes group records durable: the group's partition of the offsets topic.
 *
 * <p>Records appended for one group are applied in the order of the {@code append} calls, because the
 * coordinator calls {@code append} while it holds the group and a partition has a single writer.
 */
public interface GroupStore {

    /**
     * Appends {@code records} of {@code groupId} as one batch. Once the batch is appended (and synced, per the
     * flush policy) {@code applied} runs, in log order with every other append to the same partition and
     * before the returned future completes; it must be short and must not take a group lock. The future fails
     * when the append does, in which case {@code applied} never runs.
     */
    CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Runnable applied);
}
