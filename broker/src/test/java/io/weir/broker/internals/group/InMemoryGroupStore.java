package io.weir.broker.internals.group;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link GroupStore} for tests. In {@link Mode#IMMEDIATE} (the default) an append is recorded, its
 * {@code applied} runs and its future completes before {@code append} returns, like a log whose write
 * returns at once. {@link Mode#HOLD} keeps appends pending until the test calls {@link #completeNext} or
 * {@link #failNext}; {@link Mode#FAIL} fails every append at once without running {@code applied}.
 *
 * <p>{@link #appended} holds every batch that became durable, in log order: what a reload would replay.
 * Single-threaded, like the tests that use it.
 */
final class InMemoryGroupStore implements GroupStore {
    enum Mode { IMMEDIATE, HOLD, FAIL }

    record Batch(String groupId, List<GroupRecord> records) {
    }

    private record Pending(Batch batch, Runnable applied, CompletableFuture<Void> done) {
    }

    final List<Batch> appended = new ArrayList<>();
    private final List<Pending> pending = new ArrayList<>();
    private Mode mode = Mode.IMMEDIATE;

    void mode(Mode mode) {
        this.mode = mode;
    }

    @Override
    public CompletableFuture<Void> append(String groupId, List<GroupRecord> records, Runnable applied) {
        CompletableFuture<Void> done = new CompletableFuture<>();
        Pending p = new Pending(new Batch(groupId, List.copyOf(records)), applied, done);
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

    private void complete(Pending p) {
        appended.add(p.batch());
        p.applied().run();
        p.done().complete(null);
    }

    /** Every durable record, in log order. */
    List<GroupRecord> records() {
        List<GroupRecord> out = new ArrayList<>();
        appended.forEach(b -> out.addAll(b.records()));
        return out;
    }
}
