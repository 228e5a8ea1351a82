package io.weir.broker.internals.group;

import io.weir.common.TopicPartition;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link GroupStore} for tests, holding every group in partition 0 of {@code __consumer_offsets}. In
 * {@link Mode#IMMEDIATE} (the default) an append is recorded, its {@code applied} runs and its future
 * completes before {@code append} returns, like a log whose write returns at once. {@link Mode#HOLD} keeps
 * appends pending until the test calls {@link #completeNext} or {@link #failNext}; {@link Mode#FAIL} fails
 * every append at once without running {@code applied}.
 *
 * <p>{@link #appended} holds every batch that became durable, in log order: what a reload would replay.
 * Records get log offsets from 0 in that order. Single-threaded, like the tests that use it.
 */
final class InMemoryGroupStore implements GroupStore {
    static final TopicPartition PARTITION = new TopicPartition(OffsetsTopicStore.TOPIC, 0);

    enum Mode {
        IMMEDIATE,
        HOLD,
        FAIL
    }

    /** @param producerId the transaction's producer, -1 outside one */
    record Batch(String groupId, List<GroupRecord> records, long producerId) {}

    private record Pending(
            String groupId,
            List<GroupRecord> records,
            long producerId,
            Applied applied,
            CompletableFuture<Void> done) {}

    final List<Batch> appended = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private Mode mode = Mode.IMMEDIATE;
    private long nextOffset;

    void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public TopicPartition partitionFor(String groupId) {
        return PARTITION;
    }

    @Override
    public CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Applied applied) {
        return append(groupId, records, -1L, applied);
    }

    @Override
    public CompletableFuture<Void> appendTransactional(
            String groupId, List<GroupRecord> records, long producerId, short producerEpoch, Applied applied) {
        return append(groupId, records, producerId, applied);
    }

    /** Runs once, at the start of the next append, as another thread would at that instant; then cleared. */
    Runnable beforeNextAppend;

    private CompletableFuture<Void> append(
            String groupId, List<GroupRecord> records, long producerId, Applied applied) {
        Runnable before = beforeNextAppend;
        beforeNextAppend = null;
        if (before != null) {
            before.run();
        }
        CompletableFuture<Void> done = new CompletableFuture<>();
        Pending p = new Pending(groupId, List.copyOf(records), producerId, applied, done);
        switch (mode) {
            case IMMEDIATE -> complete(p);
            case HOLD -> pending.add(p);
            case FAIL -> done.completeExceptionally(new IllegalStateException("injected append failure"));
        }
        return done;
    }

    int pendingCount() {
        return pending.size();
    }

    /** Makes the oldest held append durable: records it, runs {@code applied}, completes its future. */
    void completeNext() {
        complete(pending.remove(0));
    }

    /** Fails the oldest held append; its {@code applied} never runs. */
    void failNext() {
        pending.remove(0).done().completeExceptionally(new IllegalStateException("injected append failure"));
    }

    /** A marker takes one offset of the log, as a control batch does. */
    long appendMarker() {
        return nextOffset++;
    }

    private void complete(Pending p) {
        long first = nextOffset;
        nextOffset += p.records().size();
        appended.add(new Batch(p.groupId(), p.records(), p.producerId()));
        p.applied().appendedAt(first);
        p.done().complete(null);
    }

    /** Every durable record, in log order. */
    List<GroupRecord> records() {
        List<GroupRecord> out = new ArrayList<>();
        appended.forEach(b -> out.addAll(b.records()));
        return out;
    }
}
